"""A new kind of deadline is a few lines: register a source, and the sweep, keys, preferences and feeds follow."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from reminders.models import Deadline, Notification
from reminders.registry import DeadlineSource, organization_members, registry
from reminders.services.inbox import notification_kinds
from reminders.services.sweep import reminders_sweep
from workflow.models import Milestone

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def bja_review_source(bja):
    """What another app would write in its AppConfig.ready(): BJA is reminded of items it must approve."""
    source = DeadlineSource(
        key="bja_review",
        label="BJA review",
        queryset=lambda: Milestone.objects.filter(needs_bja_approval=True, status="submitted"),
        recipients=lambda deadlines: {
            deadline.id: organization_members([bja.pk], roles=["grant_manager"])[bja.pk] for deadline in deadlines
        },
    )
    registry.register(source)
    yield source
    registry.unregister(source.key)


def test_a_registered_source_is_mirrored_reminded_and_offered_as_a_kind(bja_review_source, case, member, grant_manager):
    budget = Milestone.objects.get(case=case, title="Budget reviewed by BJA")
    Milestone.objects.filter(pk=budget.pk).update(status="submitted", due_date=date(2026, 7, 10))

    with time_machine.travel(datetime(2026, 7, 9, 9, 0, tzinfo=CHICAGO), tick=False):
        reminders_sweep()
        reminders_sweep()

    assert Deadline.objects.filter(source="bja_review", object_id=budget.pk).exists()
    reminder = Notification.objects.get(kind="bja_review")
    assert (reminder.recipient, reminder.window) == (grant_manager, "before-1")
    assert reminder.subject == "BJA review “Budget reviewed by BJA” is due tomorrow"
    assert reminder.url == f"/cases/{case.pk}/"
    assert "bja_review" in notification_kinds()


def test_a_source_item_that_closes_stops_its_reminders(bja_review_source, case, grant_manager):
    budget = Milestone.objects.get(case=case, title="Budget reviewed by BJA")
    Milestone.objects.filter(pk=budget.pk).update(status="submitted", due_date=date(2026, 7, 10))
    with time_machine.travel(datetime(2026, 7, 3, 9, 0, tzinfo=CHICAGO), tick=False):  # A week before.
        reminders_sweep()
    Milestone.objects.filter(pk=budget.pk).update(status="approved", decided_by=grant_manager)

    with time_machine.travel(datetime(2026, 7, 9, 9, 0, tzinfo=CHICAGO) + timedelta(days=1), tick=False):
        reminders_sweep()

    assert Deadline.objects.get(source="bja_review").closed_at is not None
    assert list(Notification.objects.filter(kind="bja_review").values_list("window", flat=True)) == ["before-7"]


def test_reserved_keys_are_refused():
    with pytest.raises(ValueError):
        registry.register(DeadlineSource(key="digest", label="x", queryset=Milestone.objects.none))
