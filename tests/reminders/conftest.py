"""Fixtures for the reminders app: the tasks suite's sample case and tasks on it (tasks are the deadline
source most reminders are about)."""

from __future__ import annotations

from tests.tasks.conftest import (
    bja,
    case,
    grant_manager,
    make_task,
    partner,
    partner_member,
    partner_org,
    partner_viewer,
    peer_reviewer,
    prep_template,
)

__all__ = [
    "bja",
    "case",
    "grant_manager",
    "make_task",
    "partner",
    "partner_member",
    "partner_org",
    "partner_viewer",
    "peer_reviewer",
    "prep_template",
]
