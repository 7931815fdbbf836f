"""The hot lists' declared parameters (config/params.py) answer as the django-filter FilterSets they stand in for.

Same rows for valid query strings, the same 400 for invalid ones: the FilterSet stays the documented schema and the
pages' form, so the two must not drift.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from config.params import params_apply
from tasks.filters import TASK_DEFAULTS, TASK_PARAMS, TaskFilter
from tasks.models import Task
from workflow.api import CASE_PARAMS, CaseViewSet
from workflow.models import Case

QUERIES = [
    "",
    "mine=true",
    "mine=false",
    "mine=0",
    "mine=1",
    "mine=TRUE",
    "status=done",
    "status=all",
    "status=",
    "status=bogus",
    "overdue=true",
    "case=1",
    "case=0",
    "case=abc",
    "case=1.5",
    "case=99999999999999999999",
    "assignee=-3",
    "assignee_organization=2",
    "case_kind=partnership",
    "case_kind=nonsense",
    "due_after=2026-01-01",
    "due_before=2026-13-45",
    "due_after=2026-01-01&due_before=2027-01-01&status=all&mine=true",
    "unknown=1",
]


def _request(query: str, user) -> Request:
    request = Request(APIRequestFactory().get(f"/api/v1/tasks/?{query}"))
    request.user = user
    return request


def _answer(function):
    try:
        return "rows", sorted(function().values_list("pk", flat=True))
    except ValidationError as error:
        return "400", error.detail


@pytest.mark.parametrize("query", QUERIES)
def test_task_parameters_answer_as_the_filterset(query, make_task, member, admin):
    make_task(title="Open", due_in=-2)
    make_task(title="Done", due_in=3, assignee=admin)
    Task.objects.filter(title="Done").update(status="done", completed_at=timezone.now(), completed_by=admin)
    request = _request(query, member)
    rows = Task.objects.all()

    def by_filterset():
        filterset = TaskFilter(data=request.query_params, queryset=rows, request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return filterset.qs

    assert _answer(lambda: params_apply(rows, request, TASK_PARAMS, defaults=TASK_DEFAULTS)) == _answer(by_filterset)


@pytest.mark.parametrize(
    "query", ["", "kind=partnership", "stage=draft", "organization=1", "organization=abc", "organization=999999"]
)
def test_case_parameters_answer_as_the_filterset(query, case, member, organization):
    query = query.replace("organization=1", f"organization={organization.pk}")
    request = _request(query, member)
    view = CaseViewSet(request=request, format_kwarg=None, action="list")
    rows = Case.objects.all()
    assert _answer(lambda: params_apply(rows, request, CASE_PARAMS)) == _answer(
        lambda: DjangoFilterBackend().filter_queryset(request, rows, view)
    )
