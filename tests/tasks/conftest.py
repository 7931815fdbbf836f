"""Fixtures for the tasks app: the workflow suite's sample case (a police lead, a behavioral health
co-applicant, BJA reviewing) and tasks on it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.models import Role
from tasks.services.task import task_create
from tests import factories
from tests.factories import organization_today
from tests.workflow.conftest import bja, case, grant_manager, partner, partner_org, peer_reviewer, prep_template

__all__ = ["bja", "case", "grant_manager", "partner", "partner_org", "peer_reviewer", "prep_template"]


@pytest.fixture
def partner_member(partner_org):
    return factories.member_of(partner_org, Role.MEMBER, full_name="Parker Clinician")


@pytest.fixture
def partner_viewer(partner_org):
    return factories.member_of(partner_org, Role.VIEWER, full_name="Paula Reader")


@pytest.fixture
def make_task(case, admin, member):
    """A task on the sample case, made through the service (so its deadline is planned)."""

    def make(**fields):
        fields.setdefault("title", "Draft the MOU")
        fields.setdefault("actor", admin)
        if "assignee" not in fields and "assignee_organization" not in fields:
            fields["assignee"] = member
        if "due_in" in fields:
            fields["due_date"] = organization_today() + timedelta(days=fields.pop("due_in"))
        return task_create(case=fields.pop("case", case), **fields)

    return make
