"""Task pages: every time in the reader's zone with the zone named, and no machine dates in the history."""

from __future__ import annotations

from datetime import date, time

from django.test import Client

from tasks.services.task import task_update
from tests.helpers import iso_dates_shown, times_without_zone


def _client(user, zone: str) -> Client:
    user.time_zone = zone
    user.save(update_fields=["time_zone"])
    client = Client()
    client.force_login(user)
    return client


def test_the_task_history_writes_dates_for_people_and_due_times_in_the_readers_zone(make_task, member, organization):
    task = make_task(due_date=date(2027, 3, 5))
    task_update(task=task, actor=member, due_date=date(2027, 3, 19), due_time=time(10, 0))
    client = _client(member, "America/Los_Angeles")  # The case is in Chicago: 10:00 CDT is 8:00 AM PDT.

    html = client.get(f"/tasks/{task.id}/").content.decode()

    assert iso_dates_shown(html) == []
    assert times_without_zone(html) == []
    assert "due Mar 5, 2027" in html
    assert "due date from Mar 5, 2027 to Mar 19, 2027; due time from none to 8:00 AM PDT" in html
    assert "Mar 19, 2027, 8:00 AM PDT" in html


def test_the_task_list_names_the_zone_of_a_due_time(make_task, member):
    make_task(due_date=date(2027, 3, 19), due_time=time(10, 0))
    html = _client(member, "America/New_York").get("/tasks/").content.decode()
    assert "Mar 19, 2027, 11:00 AM EDT" in html
    assert times_without_zone(html) == []
