"""Task lists are read with values() (config/rows.py): each row must equal TaskSerializer's output."""

from __future__ import annotations

import json

import pytest
from rest_framework.renderers import JSONRenderer

from tasks.models import Task
from tasks.serializers import TaskSerializer
from tests.helpers import api_client

pytestmark = pytest.mark.django_db


def rendered(data):
    return json.loads(JSONRenderer().render(data))


def test_list_rows_equal_the_serializer(make_task, member, admin, partner, partner_org):
    from tasks.services.task import task_set_status, task_watch

    plain = make_task(title="Plain", due_in=3)
    watched = make_task(title="Watched", due_in=1, priority=3)
    task_watch(task=watched, actor=member, watching=True)
    task_watch(task=watched, actor=admin, watching=True)
    done = make_task(title="Done", assignee=None, assignee_organization=partner_org)
    task_set_status(task=done, actor=partner, status="done")

    listed = api_client(member).get("/api/v1/tasks/?status=all").json()["results"]
    expected = rendered(TaskSerializer(Task.objects.order_by("due_date", "-priority", "id"), many=True).data)
    assert {row["id"]: row for row in listed} == {row["id"]: row for row in expected}
    assert {row["title"] for row in listed} == {"Plain", "Watched", "Done"}
    assert len(next(row for row in listed if row["id"] == watched.pk)["watchers"]) == 2
    assert next(row for row in listed if row["id"] == plain.pk)["assignee_name"] == str(member)
