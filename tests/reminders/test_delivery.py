"""Delivery from the outbox: claims, one connection per run, retries with backoff, giving up, digests, emails."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.test import Client
from django.utils import timezone

from reminders.models import Channel, Notification, NotificationStatus, ReminderPreference
from reminders.services.delivery import notifications_claim, notifications_deliver
from reminders.services.digests import digests_start
from reminders.services.sweep import reminders_sweep
from tasks.models import TaskStatus
from tasks.services.task import task_set_status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("any_hour")]
CHICAGO = ZoneInfo("America/Chicago")


class CountingBackend(LocmemBackend):
    opened = 0

    def open(self):
        if getattr(self, "_open", False):
            return False
        CountingBackend.opened += 1
        self._open = True
        return True

    def close(self):
        self._open = False


class FailingBackend(LocmemBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def due_reminders(make_task, count=1, **fields):
    for position in range(count):
        make_task(title=f"Task {position}", due_in=1, **fields)
    reminders_sweep()
    return Notification.objects.filter(kind="task", status=NotificationStatus.PENDING)


def test_pending_reminders_are_emailed_once_over_one_connection(make_task, member, settings):
    settings.EMAIL_BACKEND = "tests.reminders.test_delivery.CountingBackend"
    CountingBackend.opened = 0
    due_reminders(make_task, count=5)
    Notification.objects.filter(kind="task_activity").update(status=NotificationStatus.IN_APP)

    result = notifications_deliver()
    again = notifications_deliver()

    assert (result.sent, again.sent) == (5, 0)
    assert len(mail.outbox) == 5 and CountingBackend.opened == 1
    assert set(Notification.objects.filter(kind="task").values_list("status", flat=True)) == {NotificationStatus.SENT}


def test_the_email_has_both_parts_a_link_the_local_date_and_a_signed_unsubscribe_link(make_task, member, organization):
    member.time_zone = "America/Los_Angeles"
    member.save()
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=CHICAGO), tick=False):
        make_task(title="Submit the SF-425", due_in=1, due_time=time(17, 0))
        reminders_sweep()
        notifications_deliver()

    email = next(message for message in mail.outbox if "due tomorrow" in message.subject)
    assert email.subject == "Task “Submit the SF-425” is due tomorrow" and email.to == [member.email]
    html = email.alternatives[0][0]
    for body in (email.body, html):
        assert "Tuesday, June 2, 2026 at 3:00 PM PDT" in body, "5 PM in Chicago is 3 PM for a reader in Los Angeles"
        assert "http://127.0.0.1:8000/tasks/" in body
    unsubscribe = re.search(r"(http://127\.0\.0\.1:8000/notifications/unsubscribe/[^/\s\"]+/)", email.body).group(1)
    assert email.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # One click, without signing in and without a CSRF token (RFC 8058), stops this kind of email.
    response = Client(enforce_csrf_checks=True).post(unsubscribe.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    assert ReminderPreference.objects.get(user=member).channels == {"task": Channel.IN_APP}


def test_the_unsubscribe_page_asks_first_and_refuses_forged_links(client, member):
    from reminders.emails import unsubscribe_token

    token = unsubscribe_token(user_id=member.pk, kind="milestone")
    page = client.get(f"/notifications/unsubscribe/{token}/")
    assert page.status_code == 200 and "Stop emails for “Milestone due dates”?" in page.content.decode()
    assert not ReminderPreference.objects.filter(user=member).exists(), "a GET (a link scanner) changes nothing"
    assert client.get(f"/notifications/unsubscribe/{token[:-2]}xx/").status_code == 404


def test_two_workers_never_claim_the_same_row(make_task):
    pending = due_reminders(make_task, count=6)
    assert pending.count() == 6

    first_token, first = notifications_claim(limit=4)
    second_token, second = notifications_claim(limit=4)

    assert len(first) + len(second) >= 6
    assert not {row.pk for row in first} & {row.pk for row in second}
    assert first_token != second_token


def test_a_lapsed_claim_is_taken_over_by_the_next_worker(make_task, settings):
    due_reminders(make_task, count=3)
    _, claimed = notifications_claim(limit=10)  # A worker took them, then died.
    claimed_task_rows = [row for row in claimed if row.kind == "task"]
    assert len(claimed_task_rows) == 3

    assert notifications_deliver().sent == 0, "a live claim is respected"
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS + 1)):
        assert notifications_deliver().sent == len(claimed)
    assert len(mail.outbox) == len(claimed)


def test_failures_are_retried_with_backoff_then_given_up_and_shown_to_staff(make_task, settings, staff):
    settings.EMAIL_BACKEND = "tests.reminders.test_delivery.FailingBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    settings.NOTIFICATION_RETRY_SECONDS = 60
    due_reminders(make_task)
    reminder = Notification.objects.get(kind="task")
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        notifications_deliver()
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (NotificationStatus.PENDING, 1)
    assert reminder.next_attempt_at == start + timedelta(seconds=60)
    assert "ConnectionRefusedError" in reminder.last_error

    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        notifications_deliver()
    reminder.refresh_from_db()
    assert reminder.attempts == 1, "not before its backoff"
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        notifications_deliver()
    reminder.refresh_from_db()
    assert reminder.next_attempt_at == start + timedelta(seconds=61 + 120), "twice as long the second time"
    with time_machine.travel(start + timedelta(seconds=200), tick=False):
        notifications_deliver()
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (NotificationStatus.FAILED, 3)

    client = Client()
    client.force_login(staff)
    page = client.get("/admin/reminders/notification/?status__exact=failed")
    assert page.status_code == 200 and "Task “Task 0” is due tomorrow" in page.content.decode()


def test_reminders_of_finished_or_moved_items_are_not_sent(make_task, member):
    pending = due_reminders(make_task, count=2)
    first, second = list(pending.order_by("id"))
    task_set_status(task=first_task(first), actor=member, status=TaskStatus.DONE)

    result = notifications_deliver()

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == NotificationStatus.CANCELLED and second.status == NotificationStatus.SENT
    assert result.sent >= 1


def first_task(notification):
    from tasks.models import Task

    return Task.objects.get(pk=notification.deadline.object_id)


def test_the_daily_digest_goes_out_once_in_the_readers_morning(make_task, member):
    member.time_zone = "America/New_York"
    member.save()
    ReminderPreference.objects.create(user=member, channels={"task": Channel.DIGEST, "task_activity": Channel.DIGEST})
    eastern = ZoneInfo("America/New_York")
    with time_machine.travel(datetime(2026, 6, 1, 5, 0, tzinfo=eastern), tick=False):
        make_task(title="Soon", due_in=1)
        make_task(title="Later", due_in=6)
        make_task(title="Late", due_in=-4)
        reminders_sweep()
        assert digests_start() == 0, "before 07:00 where the reader is"
    with time_machine.travel(datetime(2026, 6, 1, 7, 15, tzinfo=eastern), tick=False):
        assert digests_start() == 1
        assert digests_start() == 0
        notifications_deliver()
    with time_machine.travel(datetime(2026, 6, 1, 18, 0, tzinfo=eastern), tick=False):
        make_task(title="Added in the evening", due_in=2)
        reminders_sweep()
        assert digests_start() == 0, "one digest a day: the evening's reminder waits for tomorrow's"

    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.subject == "Your JMHCP Workflow digest for Monday, June 1, 2026"
    body = digest.body
    assert body.index("OVERDUE") < body.index("Late") < body.index("COMING UP") < body.index("Soon")
    assert "Later" in body and "due in 6 days" in body and "4 days overdue" in body
    assert "Added in the evening" not in body
    with time_machine.travel(datetime(2026, 6, 2, 7, 1, tzinfo=eastern), tick=False):
        assert digests_start() == 1
        notifications_deliver()
    assert "Added in the evening" in mail.outbox[1].body


def test_a_reminder_is_withheld_from_someone_who_lost_access_since_the_sweep(make_task, member, partner_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Membership

    make_task(title="Member's", due_in=1, assignee=member)
    make_task(title="Partner's", due_in=1, assignee=partner_member)
    reminders_sweep()
    Notification.objects.exclude(kind="task").update(status=NotificationStatus.IN_APP)
    Membership.objects.filter(user=partner_member).update(is_active=False)  # Leaves between sweep and send.

    with CaptureQueriesContext(connection) as queries:
        result = notifications_deliver()

    assert (result.sent, result.cancelled) == (1, 1)
    # Access for the whole batch is one query (workflow.access.visible_pairs), not one per recipient.
    assert len([q for q in queries.captured_queries if "workflow_reach" in q["sql"]]) == 1
    assert [message.to for message in mail.outbox] == [[member.email]]
    withheld = Notification.objects.get(recipient=partner_member, kind="task")
    assert withheld.status == NotificationStatus.CANCELLED
