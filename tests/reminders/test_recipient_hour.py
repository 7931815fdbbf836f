"""Reminders are counted in the deadline's days but reach each person no earlier than the reminder hour in
their own zone: a partner in Los Angeles on a New York case gets the 07:00 reminder at 07:00 Pacific, not 04:00."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from reminders.emails import notification_email
from reminders.models import Notification, NotificationStatus, ReminderPreference
from reminders.preferences import not_before_hour
from reminders.services.delivery import notifications_claim
from reminders.services.sweep import reminders_sweep
from tests.helpers import times_without_zone

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def _reminder(user) -> Notification:
    return Notification.objects.get(recipient=user, kind="task")


@pytest.fixture
def new_york_case(organization):
    organization.time_zone = "America/New_York"
    organization.save(update_fields=["time_zone"])
    return organization


def test_a_recipient_west_of_the_case_gets_the_reminder_at_the_hour_in_their_own_zone(
    new_york_case, make_task, member, admin, settings
):
    settings.REMINDER_HOUR = 7
    member.time_zone, admin.time_zone = "America/Los_Angeles", "America/New_York"
    member.save(update_fields=["time_zone"])
    admin.save(update_fields=["time_zone"])
    with time_machine.travel(datetime(2027, 3, 4, 12, 0, tzinfo=NEW_YORK), tick=False):
        make_task(due_date=date(2027, 3, 9), assignee=member)
        make_task(due_date=date(2027, 3, 9), assignee=admin, title="Sign the MOU")
    # The sweep runs when the day's window opens in the deadline's zone: 07:00 in New York, 04:00 in Los Angeles.
    with time_machine.travel(datetime(2027, 3, 8, 7, 0, tzinfo=NEW_YORK), tick=False):
        reminders_sweep()
        assert _reminder(member).window == "before-1", "the day is still the deadline's"
        assert _reminder(member).next_attempt_at == datetime(2027, 3, 8, 7, 0, tzinfo=LOS_ANGELES)
        assert _reminder(admin).next_attempt_at == datetime(2027, 3, 8, 7, 0, tzinfo=NEW_YORK)
        _, claimed = notifications_claim(limit=100)
        assert _reminder(admin).pk in {n.pk for n in claimed}
        assert _reminder(member).pk not in {n.pk for n in claimed}, "nothing goes to Los Angeles at 04:00"
    with time_machine.travel(datetime(2027, 3, 8, 6, 59, tzinfo=LOS_ANGELES), tick=False):
        assert _reminder(member).pk not in {n.pk for n in notifications_claim(limit=100)[1]}
    with time_machine.travel(datetime(2027, 3, 8, 7, 0, tzinfo=LOS_ANGELES), tick=False):
        _, claimed = notifications_claim(limit=100)
        assert _reminder(member).pk in {n.pk for n in claimed}


def test_a_recipient_east_of_the_case_is_past_the_hour_already_and_gets_it_at_once(
    organization, make_task, member, settings
):
    settings.REMINDER_HOUR = 7
    organization.time_zone = "America/Los_Angeles"
    organization.save(update_fields=["time_zone"])
    member.time_zone = "America/New_York"
    member.save(update_fields=["time_zone"])
    with time_machine.travel(datetime(2027, 6, 1, 7, 5, tzinfo=LOS_ANGELES), tick=False):
        make_task(due_date=date(2027, 6, 2))
        reminders_sweep()
    assert _reminder(member).next_attempt_at == datetime(2027, 6, 1, 7, 5, tzinfo=LOS_ANGELES)


def test_a_quiet_day_still_wins_over_the_hour(new_york_case, make_task, member, settings):
    settings.REMINDER_HOUR, settings.DIGEST_HOUR = 7, 8
    member.time_zone = "America/Los_Angeles"
    member.save(update_fields=["time_zone"])
    ReminderPreference.objects.create(user=member, quiet_days=[5, 6])
    with time_machine.travel(datetime(2027, 3, 6, 7, 0, tzinfo=NEW_YORK), tick=False):  # Saturday
        make_task(due_date=date(2027, 3, 7))
        reminders_sweep()
    reminder = _reminder(member)
    assert reminder.status == NotificationStatus.PENDING
    assert reminder.next_attempt_at == datetime(2027, 3, 8, 8, 0, tzinfo=LOS_ANGELES)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2027, 3, 8, 4, 0, tzinfo=LOS_ANGELES), datetime(2027, 3, 8, 7, 0, tzinfo=LOS_ANGELES)),
        (datetime(2027, 3, 8, 7, 0, tzinfo=LOS_ANGELES), datetime(2027, 3, 8, 7, 0, tzinfo=LOS_ANGELES)),
        (datetime(2027, 3, 8, 23, 0, tzinfo=LOS_ANGELES), datetime(2027, 3, 8, 23, 0, tzinfo=LOS_ANGELES)),
        # Spring forward in Los Angeles (Mar 14, 2027): 07:00 PDT that morning.
        (datetime(2027, 3, 14, 10, 0, tzinfo=ZoneInfo("UTC")), datetime(2027, 3, 14, 7, 0, tzinfo=LOS_ANGELES)),
    ],
)
def test_not_before_hour(now, expected):
    assert not_before_hour(now, "America/Los_Angeles", 7) == expected


def test_the_email_writes_the_due_time_in_the_recipients_zone_and_names_that_zone(
    new_york_case, make_task, member, settings
):
    member.time_zone = "America/Los_Angeles"
    member.save(update_fields=["time_zone"])
    with time_machine.travel(datetime(2027, 3, 8, 12, 0, tzinfo=NEW_YORK), tick=False):
        make_task(due_date=date(2027, 3, 9), due_time=time(17, 0))
        reminders_sweep()
        email = notification_email(_reminder(member))
    html = email.alternatives[0][0]
    for body in (email.body, html):
        assert "at 2:00 PM PST" in body, "5 PM in New York is 2 PM in Los Angeles (PST until Mar 14)"
        assert "Times are in your time zone, America/Los Angeles" in body
        assert "/accounts/profile/" in body
        assert times_without_zone(body) == []
