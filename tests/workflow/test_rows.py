"""Case lists and timelines are read with values() (config/rows.py): rows must equal the serializers' output."""

from __future__ import annotations

import json

import pytest
from rest_framework.renderers import JSONRenderer

from tests.helpers import api_client
from workflow.models import Case, Event
from workflow.serializers import CaseSerializer, EventSerializer
from workflow.services import event_record

pytestmark = pytest.mark.django_db


def rendered(data):
    return json.loads(JSONRenderer().render(data))


def test_case_list_rows_equal_the_serializer(submitted_case, grant_manager):
    listed = api_client(grant_manager).get("/api/v1/cases/").json()["results"]
    visible = Case.objects.visible_to(grant_manager).order_by("-opened_at", "-id")
    assert listed == rendered(CaseSerializer(visible, many=True).data)
    assert listed and all(row["participants"] for row in listed)


def test_timeline_rows_equal_the_serializer(submitted_case, member, grant_manager):
    event_record(case=submitted_case, actor=None, verb="note", data={"text": "system"})
    for user in (member, grant_manager):
        listed = api_client(user).get(f"/api/v1/cases/{submitted_case.pk}/timeline/").json()["results"]
        events = Event.objects.filter(case=submitted_case).order_by("created_at", "id")
        shown = [row["id"] for row in listed]
        assert listed == rendered(EventSerializer(events.filter(pk__in=shown), many=True).data)
        assert any(row["actor"] is None and row["actor_name"] is None for row in listed)
        assert any(row["actor_name"] for row in listed)


def test_timeline_of_an_unknown_case_is_not_found(case, member, staff):
    from django.contrib.auth import get_user_model

    superuser = get_user_model().objects.create_superuser(email="root@example.org", password="x" * 16)
    for user, url in (
        (member, "/api/v1/cases/999999/timeline/"),
        (superuser, "/api/v1/cases/999999/timeline/"),
        (member, "/api/v1/cases/abc/timeline/"),
        (member, "/api/v1/cases/99999999999999999999/timeline/"),
    ):
        response = api_client(user).get(url)
        assert response.status_code == 404, (user, url)
        assert response.json()["code"] == "not_found"
    assert api_client(superuser).get(f"/api/v1/cases/{case.pk}/timeline/").status_code == 200
