"""The task pages: access, forms without JavaScript, time zones, bounded queries."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from tasks.models import Task, TaskComment, TaskStatus
from tasks.services.task import task_comment_add
from tests.helpers import Write, assert_access_rules, assert_constant_queries
from workflow.models import Visibility

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_task_pages_hide_from_outsiders_and_refuse_viewers(make_task, case, member, viewer, outsider):
    task = make_task()
    assert_access_rules(
        read_url=f"/tasks/{task.pk}/",
        writes=[
            Write("post", f"/tasks/{task.pk}/status/", {"status": "done"}),
            Write("post", f"/tasks/{task.pk}/comments/", {"body": "hi", "visibility": "all"}),
            Write("post", f"/tasks/{task.pk}/edit/", {"title": "Renamed"}),
            Write("post", f"/cases/{case.pk}/tasks/", {"title": "New", "assign_to": f"org:{case.organization_id}"}),
        ],
        outsider=outsider,
        viewer=viewer,
        models=[Task, TaskComment],
        client_factory=browser,
    )
    assert browser(outsider).get(f"/cases/{case.pk}/tasks/").status_code == 404
    viewer_page = browser(viewer).get(f"/cases/{case.pk}/tasks/").content.decode()
    assert "Add a task" not in viewer_page and task.title in viewer_page


def test_a_task_is_added_inline_on_the_case_page(case, admin, member):
    client = browser(admin)
    page = client.get(f"/cases/{case.pk}/tasks/").content.decode()
    assert f'value="user:{member.pk}:{case.organization_id}"' in page
    due = (timezone.localdate() + timedelta(days=4)).isoformat()

    response = client.post(
        f"/cases/{case.pk}/tasks/",
        {"title": "Train dispatchers", "assign_to": f"user:{member.pk}:{case.organization_id}", "due_date": due,
         "priority": 2},
    )  # fmt: skip

    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.title, task.assignee, task.due_date.isoformat()) == ("Train dispatchers", member, due)
    listing = client.get(f"/cases/{case.pk}/tasks/").content.decode()
    assert "Train dispatchers" in listing and "due in 4 days" in listing


def test_a_refused_create_shows_the_error_next_to_the_field(case, admin):
    response = browser(admin).post(f"/cases/{case.pk}/tasks/", {"title": "", "priority": 2})

    assert response.status_code == 400
    page = response.content.decode()
    assert "usa-error-message" in page and "This field is required." in page


def test_my_tasks_are_overdue_first_and_dated_in_my_time_zone(make_task, member):
    # Counted from the reader's day, in the reader's zone (New York), whatever the organization's (Chicago).
    today = timezone.localdate(timezone=ZoneInfo(member.time_zone))
    make_task(title="Later", due_date=today + timedelta(days=6))
    make_task(title="Late", due_date=today - timedelta(days=3))
    make_task(title="Blocked one", due_date=today + timedelta(days=2))
    page = browser(member).get("/tasks/").content.decode()

    assert page.index("Late") < page.index("Blocked one") < page.index("Later")
    assert "3 days overdue" in page and "due in 6 days" in page
    assert browser(member).get("/tasks/?status=done").content.decode().count("task-detail") == 0


def test_my_tasks_page_costs_the_same_queries_for_5_or_50_tasks(make_task, member):
    client = browser(member)
    assert_constant_queries(
        request=lambda: client.get("/tasks/?page=1"),
        grow=lambda count: [make_task(title=f"T{n}", due_in=n % 7 - 3) for n in range(count)],
        small=5,
        large=25,
    )


def test_the_task_page_works_without_javascript(make_task, member, partner):
    task = make_task(due_in=2)
    task_comment_add(task=task, actor=member, body="Our chief's view", visibility=Visibility.ORGANIZATION)
    client = browser(member)

    assert client.post(f"/tasks/{task.pk}/status/", {"status": "blocked", "reason": "Counsel"}).status_code == 302
    assert (
        client.post(f"/tasks/{task.pk}/comments/", {"body": "Sent to counsel", "visibility": "all"}).status_code == 302
    )
    new_due = (task.due_date + timedelta(days=7)).isoformat()
    edit = {
        "title": task.title,
        "assign_to": f"org:{task.assignee_organization_id}",
        "due_date": new_due,
        "priority": 3,
    }
    assert client.post(f"/tasks/{task.pk}/edit/", edit).status_code == 302

    task.refresh_from_db()
    assert (task.status, task.assignee, task.due_date.isoformat()) == (TaskStatus.BLOCKED, None, new_due)
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "Sent to counsel" in page and "Our chief&#x27;s view" in page
    assert "Max Member changed the status from Open to Blocked — Counsel." in page
    partner_page = browser(partner).get(f"/tasks/{task.pk}/").content.decode()
    assert "Sent to counsel" in partner_page and "Our chief" not in partner_page


def test_organization_tasks_page_and_bulk_reassign(make_task, organization, admin, member):
    make_task(title="Hand me over")
    client = browser(admin)
    assert "Hand over someone's tasks" in client.get(f"/organizations/{organization.pk}/tasks/").content.decode()

    response = client.post(f"/organizations/{organization.pk}/tasks/reassign/", {"from_user": member.pk, "to_user": ""})

    assert response.status_code == 302
    assert Task.objects.get().assignee is None
    refused = browser(member).post(
        f"/organizations/{organization.pk}/tasks/reassign/", {"from_user": member.pk, "to_user": ""}
    )
    assert refused.status_code == 403


def test_pages_need_a_sign_in(make_task):
    task = make_task()
    for url in ("/tasks/", f"/tasks/{task.pk}/", "/notifications/", "/notifications/preferences/", "/calendar/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
