"""The reminder sweep, with the clock moved across days, DST changes and time zones (time-machine)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reminders.models import Channel, Deadline, Notification, NotificationStatus, ReminderPreference
from reminders.services.sweep import reminders_sweep
from tasks.models import TaskStatus
from tasks.services.task import task_set_status, task_update, task_watch
from workflow.checklists import milestone_approve, milestone_submit
from workflow.models import Milestone
from workflow.services import case_grant, case_revoke

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


def at(year, month, day, hour=9, minute=0, zone=CHICAGO):
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def reminders(user, kind="task", **about):
    notifications = Notification.objects.filter(recipient=user, kind=kind, **about).order_by("created_at", "id")
    return list(notifications.values_list("window", flat=True))


def sweep_days(first: datetime, days: int) -> None:
    """Run the sweep every day at 07:05 local time from `first`, as beat would (one run a day is enough)."""
    for offset in range(days):
        with time_machine.travel(first + timedelta(days=offset), tick=False):
            reminders_sweep()


def test_a_task_due_tomorrow_is_reminded_once_however_often_the_sweep_runs(make_task, member):
    make_task(due_in=1)

    reminders_sweep()
    reminders_sweep()

    assert reminders(member) == ["before-1"]
    reminder = Notification.objects.get(kind="task")
    assert reminder.subject == "Task “Draft the MOU” is due tomorrow"
    assert reminder.status == NotificationStatus.PENDING and reminder.url.startswith("/tasks/")


def test_windows_follow_the_task_day_by_day_across_the_dst_change_with_escalation(make_task, member, admin):
    # Due Tuesday March 10, 2026; U.S. daylight saving time starts Sunday March 8.
    with time_machine.travel(at(2026, 2, 20), tick=False):
        make_task(due_date=date(2026, 3, 10))
    sweep_days(at(2026, 2, 20, 7, 5), days=30)

    assert reminders(member) == ["before-7", "before-1", "due", "overdue-3", "overdue-6", "overdue-9"]
    assert reminders(admin) == ["escalation"], "the organization's admins hear of it at 7 days overdue"
    sent_on = {
        n.window: n.created_at.astimezone(CHICAGO).date()
        for n in Notification.objects.filter(recipient=member, kind="task")
    }
    assert sent_on["before-7"] == date(2026, 3, 3)
    assert sent_on["before-1"] == date(2026, 3, 9), "the day after DST started, still at 07:05 local"
    assert sent_on["due"] == date(2026, 3, 10)
    escalation = Notification.objects.get(recipient=admin)
    assert escalation.subject == "Escalation: task “Draft the MOU” is 7 days overdue"
    assert escalation.created_at.astimezone(CHICAGO).date() == date(2026, 3, 17)


def test_the_sweep_looks_at_a_deadline_only_on_its_window_days(make_task):
    with time_machine.travel(at(2026, 5, 1), tick=False):
        task = make_task(due_date=date(2026, 6, 30))
        deadline = Deadline.objects.get(object_id=task.pk, source="task")
        assert deadline.next_remind_at == at(2026, 5, 31, 7, 0), "30 days before, 07:00 Chicago time"
    with time_machine.travel(at(2026, 5, 31, 7, 1), tick=False):
        assert reminders_sweep().deadlines >= 1
        assert reminders_sweep().deadlines == 0
        deadline.refresh_from_db()
        assert deadline.next_remind_at == at(2026, 6, 16, 7, 0), "next: 14 days before"


def test_an_extension_drops_the_old_dates_reminders_and_plans_the_new_ones(make_task, member):
    with time_machine.travel(at(2026, 4, 6), tick=False):
        task = make_task(due_date=date(2026, 4, 7))
        reminders_sweep()
        old = Notification.objects.get(kind="task")
        assert old.window == "before-1"

        task_update(task=task, actor=member, due_date=date(2026, 4, 11))
        reminders_sweep()

    old.refresh_from_db()
    assert old.status == NotificationStatus.CANCELLED
    new = Notification.objects.get(kind="task", status=NotificationStatus.PENDING)
    assert (new.window, new.due_date, new.subject) == (
        "before-7",
        date(2026, 4, 11),
        "Task “Draft the MOU” is due in 5 days",
    )
    sweep_days(at(2026, 4, 7, 7, 5), days=5)
    assert reminders(member) == ["before-1", "before-7", "before-1", "due"]


def test_done_and_cancelled_items_get_no_more_reminders(make_task, member):
    with time_machine.travel(at(2026, 4, 6), tick=False):
        done = make_task(title="Done", due_date=date(2026, 4, 7))
        cancelled = make_task(title="Cancelled", due_date=date(2026, 4, 7))
        task_set_status(task=done, actor=member, status=TaskStatus.DONE)
        task_set_status(task=cancelled, actor=member, status=TaskStatus.CANCELLED)
    sweep_days(at(2026, 4, 6, 7, 5), days=15)

    assert reminders(member) == []


def test_a_late_sweep_sends_the_latest_missed_reminder_not_a_burst(make_task, member):
    with time_machine.travel(at(2026, 4, 1), tick=False):
        make_task(due_date=date(2026, 4, 10))
        reminders_sweep()  # Nothing yet: 9 days before.
    with time_machine.travel(at(2026, 4, 11, 8), tick=False):  # No sweep for ten days (an outage).
        reminders_sweep()

    late = Notification.objects.get(kind="task")
    assert (late.window, late.subject) == ("due", "Task “Draft the MOU” is 1 day overdue")


def test_people_choose_their_windows_and_channels(make_task, member, partner, grant_manager, organization):
    ReminderPreference.objects.create(user=member, days_before=[3], on_due_day=False, overdue=False)
    ReminderPreference.objects.create(user=partner, channels={"task": Channel.IN_APP})
    ReminderPreference.objects.create(user=grant_manager, channels={"task": Channel.DIGEST})
    with time_machine.travel(at(2026, 6, 1), tick=False):
        task = make_task(due_date=date(2026, 6, 10))
        for person in (partner, grant_manager):
            task_watch(task=task, actor=person)
    sweep_days(at(2026, 6, 1, 7, 5), days=15)

    assert reminders(member) == ["before-3"]
    assert set(Notification.objects.filter(recipient=partner, kind="task").values_list("status", flat=True)) == {
        NotificationStatus.IN_APP
    }
    assert set(Notification.objects.filter(recipient=grant_manager, kind="task").values_list("status", flat=True)) == {
        NotificationStatus.DIGEST
    }


def test_quiet_days_hold_email_until_the_next_working_morning(make_task, member, settings):
    settings.DIGEST_HOUR = 8
    member.time_zone = "America/New_York"
    member.save()
    ReminderPreference.objects.create(user=member, quiet_days=[5, 6])
    with time_machine.travel(at(2026, 6, 6, 10), tick=False):  # Saturday.
        make_task(due_in=1)
        reminders_sweep()

    reminder = Notification.objects.get(kind="task")
    assert reminder.next_attempt_at == datetime(2026, 6, 8, 8, 0, tzinfo=ZoneInfo("America/New_York"))


def test_the_case_organizations_zone_decides_the_day(make_task, member, organization):
    organization.time_zone = "Pacific/Honolulu"
    organization.save()
    # 08:00 UTC on June 2 is 22:00 on June 1 in Honolulu: a task due June 2 there is due tomorrow.
    with time_machine.travel(datetime(2026, 6, 2, 8, 0, tzinfo=UTC), tick=False):
        make_task(due_date=date(2026, 6, 2))
        reminders_sweep()

    assert reminders(member) == ["before-1"]


def test_milestones_are_found_by_the_sweep_and_stop_once_submitted(case, admin, member, partner, grant_manager):
    milestone = Milestone.objects.get(case=case, title="Program narrative drafted")
    narrative_due = milestone.due_date
    with time_machine.travel(datetime.combine(narrative_due - timedelta(days=1), datetime.min.time(), CHICAGO)
                             + timedelta(hours=9), tick=False):  # fmt: skip
        result = reminders_sweep()
        assert result.discovered == 3, "the prep checklist's three dated items"
        assert reminders(member, "milestone") == ["before-1"]
        assert reminders(partner, "milestone") == [], "not a joint item: the lead organization's"
        assert reminders(grant_manager, "milestone") == []

        milestone_submit(milestone=milestone, actor=member)
        reminders_sweep()
    assert Deadline.objects.get(source="milestone", object_id=milestone.pk).closed_at is not None
    sweep_days(datetime.combine(narrative_due, datetime.min.time(), CHICAGO) + timedelta(hours=7, minutes=5), 10)
    assert reminders(member, "milestone", deadline__object_id=milestone.pk) == ["before-1"]


def test_a_milestone_sent_back_for_changes_is_reminded_again(case, admin, member, grant_manager):
    milestone = Milestone.objects.get(case=case, title="Program narrative drafted")
    reminders_sweep()
    milestone_submit(milestone=milestone, actor=member)
    reminders_sweep()
    assert Deadline.objects.get(source="milestone", object_id=milestone.pk).closed_at is not None
    from workflow.checklists import milestone_request_changes

    milestone_request_changes(milestone=milestone, actor=admin, comment="Add the data plan")
    reminders_sweep()
    assert Deadline.objects.get(source="milestone", object_id=milestone.pk).closed_at is None
    milestone_submit(milestone=milestone, actor=member)
    milestone_approve(milestone=milestone, actor=admin)
    reminders_sweep()
    assert Deadline.objects.get(source="milestone", object_id=milestone.pk).closed_at is not None


def test_nobody_is_reminded_of_a_case_they_can_no_longer_see(make_task, case, admin, member, any_hour):
    from reminders.selectors import notification_list_for_user
    from reminders.services.delivery import notifications_deliver
    from tests.factories import UserFactory

    consultant = UserFactory(full_name="Cora Consultant")
    case_grant(case=case, user=consultant, permission="view_case", actor=admin)
    task = make_task(due_in=1)
    task_watch(task=task, actor=consultant)
    case_revoke(case=case, user=consultant, permission="view_case", actor=admin)

    reminders_sweep()
    notifications_deliver()

    # Visibility is asked where it counts: the notification centre and the delivery (Case.objects.visible_to).
    assert not notification_list_for_user(user=consultant).exists()
    assert Notification.objects.get(recipient=consultant).status == NotificationStatus.CANCELLED
    assert Notification.objects.get(recipient=member, kind="task").status == NotificationStatus.SENT


def test_the_sweeps_queries_do_not_grow_with_the_number_of_due_deadlines(make_task):
    reminders_sweep()  # The case's milestones are found and planned first.

    def run(count):
        Deadline.objects.update(next_remind_at=None)
        for position in range(count):
            make_task(title=f"Task {position}", due_in=1)
        with CaptureQueriesContext(connection) as queries:
            reminders_sweep()
        return len(queries)

    assert run(3) == run(40)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_create_each_reminder_once(make_task, member):
    """Both take batches with FOR UPDATE SKIP LOCKED; the unique key would stop a duplicate anyway."""
    for position in range(60):
        make_task(title=f"Task {position}", due_in=1)
    barrier, errors = threading.Barrier(2), []

    def sweep():
        try:
            barrier.wait()
            reminders_sweep(batch_size=7)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Notification.objects.filter(kind="task", recipient=member).count() == 60
