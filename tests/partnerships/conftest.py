"""A partnership between a police department (the root `organization`), a behavioral health provider and a
county, a Learning Site, BJA, and a TA request from the police department."""

from __future__ import annotations

import pytest
from django.apps import apps

from accounts.models import OrganizationKind, Role
from partnerships.choices import MemberRole
from partnerships.migrations.frozen import checklists_v1
from partnerships.services.partnerships import partnership_create
from partnerships.services.ta import ta_request_create
from tests import factories


@pytest.fixture(autouse=True)
def checklists(db):
    """The data migration's checklists: transactional tests elsewhere flush them, so publish again if gone."""
    checklists_v1.publish(apps)


@pytest.fixture
def bh_org(db):
    return factories.OrganizationFactory(name="Prairie Behavioral Health", kind=OrganizationKind.BEHAVIORAL_HEALTH)


@pytest.fixture
def county_org(db):
    return factories.OrganizationFactory(name="Sangamon County Board", kind=OrganizationKind.GOVERNMENT)


@pytest.fixture
def site_org(db):
    return factories.OrganizationFactory(
        name="Madison County Sheriff's Office",
        kind=OrganizationKind.LAW_ENFORCEMENT,
        is_learning_site=True,
        state="TN",
    )


@pytest.fixture
def bja(db):
    return factories.OrganizationFactory(name="Bureau of Justice Assistance", kind=OrganizationKind.FEDERAL)


@pytest.fixture
def bh_admin(bh_org):
    return factories.member_of(bh_org, Role.ADMIN, full_name="Alicia Romero")


@pytest.fixture
def bh_member(bh_org):
    return factories.member_of(bh_org, Role.MEMBER, full_name="Sam Okafor")


@pytest.fixture
def county_admin(county_org):
    return factories.member_of(county_org, Role.ADMIN, full_name="Priya Natarajan")


@pytest.fixture
def coordinator(site_org):
    return factories.member_of(site_org, Role.ADMIN, full_name="Ray Holloway")


@pytest.fixture
def site_viewer(site_org):
    return factories.member_of(site_org, Role.VIEWER, full_name="Vic Siteviewer")


@pytest.fixture
def grant_manager(bja):
    return factories.member_of(bja, Role.GRANT_MANAGER, full_name="Helen Brooks")


@pytest.fixture
def partnership(organization, admin, bh_org, county_org):
    return partnership_create(
        actor=admin,
        lead=organization,
        title="Springfield co-responder partnership",
        members=[(bh_org, MemberRole.BEHAVIORAL_HEALTH), (county_org, MemberRole.GOVERNMENT)],
        jurisdiction="City of Springfield",
        response_models=["co_responder", "cit"],
        population_served="City residents (114,000)",
    )


@pytest.fixture
def ta_request(organization, member, site_org, bja):
    return ta_request_create(
        actor=member,
        organization=organization,
        topic="co_responder",
        preferred_delivery="training",
        description="We want to start a co-responder team and need CIT training for 20 officers.",
    )
