"""The notification centre, the preferences page and the calendar feed page."""

from __future__ import annotations

import pytest
from django.test import Client

from reminders.models import CalendarFeed, Notification, ReminderPreference
from reminders.services.inbox import notification_kinds
from reminders.services.sweep import reminders_sweep

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_unread_count_is_on_every_page_and_the_centre_marks_read(make_task, member):
    make_task(due_in=1)
    reminders_sweep()
    client = browser(member)

    dashboard = client.get("/").content.decode()
    assert '2<span class="usa-sr-only"> unread</span>' in dashboard
    assert "My tasks" in dashboard and "Draft the MOU" in dashboard
    notification = Notification.objects.filter(recipient=member, kind="task").get()
    opened = client.post(f"/notifications/{notification.pk}/read/", {"open": "1"})
    assert opened.status_code == 302 and opened["Location"] == notification.url
    assert '1<span class="usa-sr-only"> unread</span>' in client.get("/notifications/").content.decode()
    assert client.post("/notifications/read-all/").status_code == 302
    assert '0<span class="usa-sr-only"> unread</span>' in client.get("/notifications/").content.decode()


def test_preferences_page_saves_windows_quiet_days_and_channels(member):
    client = browser(member)
    assert client.get("/notifications/preferences/").status_code == 200

    channels = {f"channel_{kind}": "email" for kind in notification_kinds()}
    channels.update(channel_task="digest", channel_task_activity="in_app")

    response = client.post(
        "/notifications/preferences/",
        {"days_before": ["14", "1"], "on_due_day": "on", "quiet_days": ["6"], **channels},
    )

    assert response.status_code == 302
    saved = ReminderPreference.objects.get(user=member)
    assert (saved.days_before, saved.on_due_day, saved.overdue, saved.quiet_days) == ([14, 1], True, False, [6])
    assert (saved.channels["task"], saved.channels["milestone"], saved.channels["task_activity"]) == (
        "digest", "email", "in_app",
    )  # fmt: skip


def test_calendar_feed_page_shows_a_new_address_once_and_revokes(member):
    client = browser(member)
    made = client.post("/calendar/", {"name": "Phone"})
    assert made.status_code == 201
    assert "/calendar/" in made.content.decode() and ".ics" in made.content.decode()
    listing = client.get("/calendar/").content.decode()
    assert "Phone" in listing and ".ics" not in listing
    feed = CalendarFeed.objects.get()
    assert client.post(f"/calendar/{feed.pk}/revoke/").status_code == 302
    assert CalendarFeed.objects.get().revoked_at is not None
