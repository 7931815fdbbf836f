"""The notification, preference and calendar feed API: each person sees only their own."""

from __future__ import annotations

import pytest

from reminders.models import CalendarFeed, Notification, ReminderPreference
from reminders.services.sweep import reminders_sweep
from tests.helpers import api_client

pytestmark = pytest.mark.django_db


def test_notifications_unread_count_mark_read_and_mark_all(make_task, member, outsider):
    make_task(due_in=1)
    make_task(title="Second", due_in=1)
    reminders_sweep()
    client = api_client(member)

    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 4}
    first = client.get("/api/v1/notifications/?unread=true").json()["results"][0]
    assert first["unread"] is True
    assert api_client(outsider).post(f"/api/v1/notifications/{first['id']}/read/").status_code == 404
    assert client.post(f"/api/v1/notifications/{first['id']}/read/").json()["unread"] is False
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 3}
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 3}
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}
    assert api_client(outsider).get("/api/v1/notifications/").json()["results"] == []


def test_notifications_of_a_case_one_can_no_longer_see_are_hidden(make_task, member, organization, admin):
    from accounts.models import Membership
    from accounts.services import membership_deactivate

    make_task(due_in=1)
    reminders_sweep()
    membership_deactivate(actor=admin, membership=Membership.objects.get(user=member))

    assert api_client(member).get("/api/v1/notifications/").json()["results"] == []
    assert Notification.objects.filter(recipient=member).exists()


def test_preferences_round_trip_and_are_validated(member):
    client = api_client(member)
    defaults = client.get("/api/v1/notification-preferences/").json()
    assert defaults["days_before"] is None
    # Other apps register their kinds of deadline too (award acceptance…): each is listed, email by default.
    assert {"task", "milestone", "task_activity"} <= set(defaults["kinds"]) == set(defaults["channels"])
    assert set(defaults["channels"].values()) == {"email"}

    saved = client.put(
        "/api/v1/notification-preferences/",
        {"days_before": [14, 1], "on_due_day": False, "quiet_days": [5, 6], "channels": {"milestone": "digest"}},
        format="json",
    )
    assert saved.status_code == 200, saved.json()
    assert ReminderPreference.objects.get(user=member).days_before == [14, 1]
    assert saved.json()["channels"]["milestone"] == "digest"
    wrong = client.put("/api/v1/notification-preferences/", {"days_before": [5]}, format="json")
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "days_before"
    unknown = client.put("/api/v1/notification-preferences/", {"channels": {"nope": "email"}}, format="json")
    assert unknown.status_code == 400


def test_calendar_feeds_show_their_url_once_and_revoke(member, outsider):
    client = api_client(member)
    created = client.post("/api/v1/calendar-feeds/", {"name": "Outlook"}, format="json").json()
    assert created["url"].startswith("http://127.0.0.1:8000/calendar/") and created["url"].endswith(".ics")
    listed = client.get("/api/v1/calendar-feeds/").json()["results"]
    assert listed[0]["url"] is None and listed[0]["name"] == "Outlook"
    assert api_client(outsider).delete(f"/api/v1/calendar-feeds/{created['id']}/").status_code == 404
    assert client.delete(f"/api/v1/calendar-feeds/{created['id']}/").status_code == 204
    assert CalendarFeed.objects.get().revoked_at is not None
