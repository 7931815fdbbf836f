"""Fixtures for the reminders app: the tasks suite's sample case and tasks on it (tasks are the deadline
source most reminders are about)."""

from __future__ import annotations

import pytest

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


@pytest.fixture
def any_hour(settings):
    """Reminders email at once whatever the real time of day the test runs at.

    A reminder waits for REMINDER_HOUR in its recipient's zone; tests that sweep and deliver on the real clock
    would pass by day and fail at night. The hour itself is tested on a frozen clock (test_recipient_hour.py).
    """
    settings.REMINDER_HOUR = 0
