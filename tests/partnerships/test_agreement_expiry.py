"""Agreement expiry: 60, 30 and 7 days before and on the day, to the signatories' admins, once each, by email."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client

from reminders.models import Channel, Notification, ReminderPreference
from reminders.services.delivery import notifications_deliver
from reminders.services.sweep import reminders_sweep
from tests.partnerships.steps import sign_mou

CHICAGO = ZoneInfo("America/Chicago")
EXPIRES = date(2027, 6, 30)


def at(day: date, hour: int = 7, minute: int = 0):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHICAGO), tick=False)


@pytest.fixture
def agreement(partnership, admin, bh_admin, organization, bh_org, member, viewer, county_admin, bh_member, outsider):
    with at(date(2027, 1, 4), 12):
        return sign_mou(
            partnership, admin, bh_admin, organization, bh_org, effective_date=date(2027, 1, 1), expiry_date=EXPIRES
        )


def expiry_rows():
    rows = Notification.objects.filter(kind="agreement_expiry").values_list("window", "recipient__full_name")
    return sorted(rows)


def sweep_on(day: date, hour: int = 7, minute: int = 0) -> None:
    with at(day, hour, minute):
        reminders_sweep()
        reminders_sweep()


def test_the_signatories_admins_are_reminded_60_30_7_days_before_and_on_expiry_once_each(agreement):
    sweep_on(EXPIRES - timedelta(days=61))
    sweep_on(EXPIRES - timedelta(days=60), 6, 59)  # Before the reminder hour, local time.
    assert expiry_rows() == []
    signatories = ["Ada Admin", "Alicia Romero"]  # The county signed nothing; members and viewers are not told.
    for days, window in ((60, "before-60"), (45, None), (30, "before-30"), (7, "before-7"), (0, "expired")):
        sweep_on(EXPIRES - timedelta(days=days))
        today = {name for written, name in expiry_rows() if written == window}
        assert today == (set(signatories) if window else set())
    sweep_on(EXPIRES + timedelta(days=3))
    windows = ["before-30", "before-60", "before-7", "expired"]
    assert expiry_rows() == [(window, name) for window in windows for name in signatories]
    subjects = set(Notification.objects.filter(kind="agreement_expiry").values_list("subject", flat=True))
    assert "Renew agreement “Co-responder MOU”: it expires in 60 days" in subjects
    assert "Agreement “Co-responder MOU” has expired: renew it or record a new one" in subjects


def test_a_late_sweep_sends_only_the_latest_window_it_missed(agreement):
    sweep_on(EXPIRES - timedelta(days=20))  # Beat was down from before the 60-day mark.
    assert expiry_rows() == [("before-30", "Ada Admin"), ("before-30", "Alicia Romero")]


def test_the_expiry_email_names_the_action_links_to_the_agreement_and_unsubscribes_its_kind(agreement, admin):
    sweep_on(EXPIRES - timedelta(days=30))
    with at(EXPIRES - timedelta(days=30), 7, 5):
        notifications_deliver()
    email = next(message for message in mail.outbox if message.to == [admin.email])
    assert email.subject == "Renew agreement “Co-responder MOU”: it expires in 30 days"
    link = f"http://127.0.0.1:8000/partnerships/{agreement.partnership_id}/#agreement-{agreement.pk}"
    html = email.alternatives[0][0]
    for body in (email.body, html):
        assert link in body and "Wednesday, June 30, 2027" in body
        assert "Stop emails for" in body and "Agreement expiry due dates" in body
    unsubscribe = re.search(r"(http://127\.0\.0\.1:8000/notifications/unsubscribe/[^/\s\"]+/)", email.body).group(1)
    assert email.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    response = Client(enforce_csrf_checks=True).post(unsubscribe.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    assert ReminderPreference.objects.get(user=admin).channels == {"agreement_expiry": Channel.IN_APP}
