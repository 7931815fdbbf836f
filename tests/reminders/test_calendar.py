"""Calendar feeds: valid RFC 5545 (parsed with icalendar), stable UIDs, only what the owner may see, revocable."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from reminders.calendar import calendar_feed_create, calendar_feed_revoke
from reminders.services.sweep import reminders_sweep
from tasks.services.task import task_create, task_set_status, task_update
from tests.helpers import assert_constant_queries
from tests.workflow import machines
from workflow.services import case_create

pytestmark = pytest.mark.django_db


def fetch(token: str):
    return Client().get(f"/calendar/{token}.ics")


def events(token: str) -> dict[str, dict]:
    response = fetch(token)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0" and "PRODID" in calendar
    found = {}
    for event in calendar.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert required in event, required
        found[str(event["UID"])] = {
            "summary": str(event["SUMMARY"]),
            "start": event.decoded("DTSTART"),
            "end": event.decoded("DTEND") if "DTEND" in event else None,
            "description": str(event["DESCRIPTION"]),
        }
    return found


def test_the_feed_lists_my_tasks_and_my_cases_deadlines_and_nothing_else(
    make_task, case, admin, member, partner, organization
):
    mine = make_task(title="File the SF-425", due_in=5)
    timed = make_task(title="Call with BJA", due_in=2, due_time=time(14, 30))
    make_task(title="Someone else's", due_in=3, assignee=partner)
    finished = make_task(title="Finished", due_in=4)
    task_set_status(task=finished, actor=member, status="done")
    private_case = case_create(kind=machines.KIND, title="Police only", organization=organization, actor=admin)
    task_create(case=private_case, actor=admin, title="Admin's own", assignee=admin)
    reminders_sweep()  # Finds the case's milestones.
    _, token = calendar_feed_create(user=member)

    found = events(token)

    summaries = sorted(event["summary"] for event in found.values())
    assert summaries == [
        "Milestone due: Budget reviewed by BJA", "Milestone due: MOU signed by both partners",
        "Milestone due: Program narrative drafted", "Task due: Call with BJA", "Task due: File the SF-425",
    ]  # fmt: skip
    all_day = found[f"task-{mine.pk}@127.0.0.1"]
    assert (all_day["start"], all_day["end"]) == (mine.due_date, mine.due_date + timedelta(days=1))
    assert "Case: Springfield co-responder program" in all_day["description"]
    at = found[f"task-{timed.pk}@127.0.0.1"]["start"]
    assert at == datetime.combine(timed.due_date, time(14, 30), tzinfo=organization_zone(organization)).astimezone(UTC)
    partner_found = events(calendar_feed_create(user=partner)[1])
    assert f"task-{mine.pk}@127.0.0.1" not in partner_found, "a task of someone else is not theirs"
    assert "Police only" not in str(partner_found)


def organization_zone(organization):
    from zoneinfo import ZoneInfo

    return ZoneInfo(organization.time_zone)


def test_an_extension_updates_the_same_event(make_task, member):
    task = make_task(due_in=3)
    _, token = calendar_feed_create(user=member)
    before = events(token)[f"task-{task.pk}@127.0.0.1"]

    task_update(task=task, actor=member, due_date=task.due_date + timedelta(days=10))

    after = events(token)
    assert len(after) == 1
    assert after[f"task-{task.pk}@127.0.0.1"]["start"] == before["start"] + timedelta(days=10)


def test_revoked_unknown_and_deactivated_feeds_answer_404(member):
    feed, token = calendar_feed_create(user=member)
    assert fetch(token).status_code == 200
    assert fetch("not-a-real-token").status_code == 404

    calendar_feed_revoke(user=member, feed_id=feed.pk)
    assert fetch(token).status_code == 404

    _, second = calendar_feed_create(user=member)
    member.is_active = False
    member.save()
    assert fetch(second).status_code == 404


def test_the_feed_costs_the_same_queries_for_5_or_50_deadlines(make_task, member):
    _, token = calendar_feed_create(user=member)
    assert_constant_queries(
        request=lambda: fetch(token), grow=lambda count: [make_task(title=f"T{n}", due_in=n) for n in range(count)]
    )


def test_old_deadlines_drop_out_of_the_feed(make_task, member):
    task = make_task(due_date=timezone.localdate() - timedelta(days=120))
    make_task(title="Recent", due_date=date.today())
    _, token = calendar_feed_create(user=member)

    assert f"task-{task.pk}@127.0.0.1" not in events(token)
