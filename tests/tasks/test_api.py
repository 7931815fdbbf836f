"""The tasks API: access rules on every endpoint, filters, ordering, bounded queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tasks.models import Task, TaskComment, TaskStatus
from tests.helpers import Write, api_client, assert_access_rules, assert_constant_queries

pytestmark = pytest.mark.django_db


def test_every_task_endpoint_hides_from_outsiders_and_refuses_viewers(make_task, case, admin, member, viewer, outsider):
    task = make_task()
    assert_access_rules(
        read_url=f"/api/v1/tasks/{task.pk}/",
        writes=[
            Write("patch", f"/api/v1/tasks/{task.pk}/", {"title": "Renamed"}),
            Write("post", f"/api/v1/tasks/{task.pk}/status/", {"status": "done"}),
            Write("post", f"/api/v1/tasks/{task.pk}/comments/", {"body": "hello"}),
            Write("post", f"/api/v1/cases/{case.pk}/tasks/", {"title": "New", "assignee": member.pk}),
            Write("post", "/api/v1/tasks/", {"case": case.pk, "title": "New", "assignee": member.pk}),
        ],
        outsider=outsider,
        viewer=viewer,
        models=[Task, TaskComment],
    )
    for url in (
        f"/api/v1/tasks/{task.pk}/comments/",
        f"/api/v1/tasks/{task.pk}/history/",
        f"/api/v1/cases/{case.pk}/tasks/",
    ):
        assert api_client(outsider).get(url).status_code == 404, url
        assert api_client(viewer).get(url).status_code == 200, url
    assert api_client(outsider).get("/api/v1/tasks/").json()["results"] == []


def test_create_and_work_on_a_task_through_the_api(case, partner, member):
    client = api_client(partner)
    due = (timezone.localdate() + timedelta(days=3)).isoformat()

    created = client.post(
        f"/api/v1/cases/{case.pk}/tasks/",
        {"title": "Map crisis services", "assignee": member.pk, "due_date": due, "priority": 3},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["assignee_name"], body["assignee_organization_name"], body["due_date"]) == (
        "Max Member", "Springfield Police Department", due,
    )  # fmt: skip
    task_id = body["id"]

    blocked = client.post(f"/api/v1/tasks/{task_id}/status/", {"status": "blocked"}, format="json")
    assert blocked.status_code == 400
    assert blocked.json()["errors"][0]["field"] == "reason"
    done = client.post(f"/api/v1/tasks/{task_id}/status/", {"status": "done"}, format="json")
    assert done.json()["status"] == "done" and done.json()["completed_by"] == partner.pk
    comment = client.post(f"/api/v1/tasks/{task_id}/comments/", {"body": "Mapped.", "visibility": "organization"},
                          format="json")  # fmt: skip
    assert comment.status_code == 201 and comment.json()["organization_name"] == "Prairie Behavioral Health"
    history = client.get(f"/api/v1/tasks/{task_id}/history/").json()["results"]
    assert [event["verb"] for event in history] == ["task.created", "task.status", "task.commented"]
    assert client.post(f"/api/v1/tasks/{task_id}/watch/").json()["watchers"] == [partner.pk]


def test_an_assignee_who_does_not_work_on_the_case_is_refused_without_naming_them(case, admin, outsider):
    response = api_client(admin).post(
        f"/api/v1/cases/{case.pk}/tasks/", {"title": "x", "assignee": outsider.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "assignee"
    assert "Otto" not in response.content.decode()


def test_lists_put_overdue_first_and_filter(make_task, member, partner):
    late = make_task(title="Late", due_in=-2)
    soon = make_task(title="Soon", due_in=1)
    undated = make_task(title="Undated")
    later = make_task(title="Later", due_in=9, assignee=partner)
    finished = make_task(title="Finished", due_in=1)
    Task.objects.filter(pk=finished.pk).update(status=TaskStatus.DONE, completed_at=timezone.now())
    client = api_client(member)

    def titles(query=""):
        return [task["title"] for task in client.get(f"/api/v1/tasks/{query}").json()["results"]]

    assert titles() == ["Late", "Soon", "Later", "Undated"]
    assert titles("?mine=true") == ["Late", "Soon", "Undated"]
    assert titles("?overdue=true") == ["Late"]
    assert titles(f"?assignee={partner.pk}") == ["Later"]
    assert titles("?status=done") == ["Finished"]
    assert titles("?status=all") == ["Late", "Soon", "Finished", "Later", "Undated"]
    today = timezone.localdate()
    window = f"?due_after={today.isoformat()}&due_before={(today + timedelta(days=5)).isoformat()}"
    assert titles(window) == ["Soon"]
    assert titles("?case_kind=sample_request") == ["Late", "Soon", "Later", "Undated"]
    wrong = client.get("/api/v1/tasks/?case_kind=nothing")
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "case_kind"
    assert {late.pk, soon.pk, undated.pk, later.pk} < set(Task.objects.values_list("pk", flat=True))


def test_the_task_list_costs_the_same_queries_for_5_or_50_tasks(make_task, member):
    assert_constant_queries(
        request=lambda: api_client(member).get("/api/v1/tasks/?page_size=100"),
        grow=lambda count: [make_task(title=f"T{n}", due_in=n % 9) for n in range(count)],
    )


def test_organization_tasks_and_bulk_reassign(make_task, organization, admin, member, viewer, outsider):
    make_task(title="One")
    make_task(title="Two")
    url = f"/api/v1/organizations/{organization.pk}/tasks/"

    assert api_client(outsider).get(url).status_code == 404
    assert api_client(viewer).get(url + "?count=true").json()["count"] == 2
    reassign = f"{url}reassign/"
    assert api_client(viewer).post(reassign, {"from_user": member.pk}, format="json").status_code == 403
    assert api_client(outsider).post(reassign, {"from_user": member.pk}, format="json").status_code == 404
    response = api_client(admin).post(reassign, {"from_user": member.pk, "to_user": admin.pk}, format="json")
    assert response.json() == {"reassigned": 2}
    assert set(Task.objects.values_list("assignee", flat=True)) == {admin.pk}


def test_the_schema_documents_the_task_endpoints(admin):
    schema = api_client(admin).get("/api/v1/schema/?format=json").json()
    paths = [
        "/api/v1/tasks/", "/api/v1/tasks/{id}/status/", "/api/v1/cases/{case_pk}/tasks/",
        "/api/v1/notifications/read-all/", "/api/v1/notification-preferences/", "/api/v1/calendar-feeds/",
    ]  # fmt: skip
    for path in paths:
        assert path in schema["paths"], path


@pytest.mark.parametrize("value", ["99999999999999999999", "-6.1e+263", "1.5", "0"])
def test_an_id_filter_that_cannot_be_an_id_is_a_400(member, value):
    """Id filters are whole numbers in an id's range: past it SQLite could not even bind the value (a 500)."""
    for name in ("assignee", "assignee_organization", "case"):
        response = api_client(member).get("/api/v1/tasks/", {name: value})
        assert response.status_code == 400, (name, value, response.status_code)
        assert response.json()["errors"][0]["field"] == name
