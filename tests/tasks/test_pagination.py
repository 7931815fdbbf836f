"""API pagination (config.api.Pagination) counts nothing unless asked; pages (config.paging) count up to a cap."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from config import paging
from config.api import Pagination
from tests.helpers import api_client, count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_tasks(make_task):
    return [make_task(title=f"T{n}", due_in=n) for n in range(5)]


def test_pages_follow_next_and_previous_links_without_a_count(five_tasks, member):
    client = api_client(member)

    first = client.get("/api/v1/tasks/?page_size=2").json()
    assert "count" not in first
    assert [row["title"] for row in first["results"]] == ["T0", "T1"]
    assert first["previous"] is None
    assert first["next"].endswith("/api/v1/tasks/?page=2&page_size=2")

    second = client.get(first["next"]).json()
    assert [row["title"] for row in second["results"]] == ["T2", "T3"]
    assert second["previous"].endswith("/api/v1/tasks/?page_size=2")

    last = client.get(second["next"]).json()
    assert [row["title"] for row in last["results"]] == ["T4"]
    assert last["next"] is None
    assert last["previous"].endswith("page=2&page_size=2")


def test_exactly_full_last_page_has_no_next(five_tasks, member):
    assert api_client(member).get("/api/v1/tasks/?page_size=5").json()["next"] is None


def test_count_only_when_asked_and_it_costs_one_query(five_tasks, member):
    client = api_client(member)
    client.get("/api/v1/tasks/?page_size=2")  # Warm the session and content types.
    plain, _, _ = count_queries(lambda: client.get("/api/v1/tasks/?page_size=2"))
    counted, _, _ = count_queries(lambda: client.get("/api/v1/tasks/?page_size=2&count=true"))
    assert counted == plain + 1
    assert client.get("/api/v1/tasks/?page_size=2&count=true").json()["count"] == 5


@pytest.mark.parametrize("page", ["4", "0", "-1", "two", "10001", "99999999999999999999", "9" * 5000])
def test_unknown_page_is_a_404_in_the_error_shape(five_tasks, member, page):
    response = api_client(member).get(f"/api/v1/tasks/?page_size=2&page={page}")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Invalid page.", "errors": []}


def test_the_deepest_page_is_bounded_before_the_database_sees_its_offset(five_tasks, member):
    client = api_client(member)
    client.get("/api/v1/tasks/")  # Warm the session and content types.
    _, sql, response = count_queries(lambda: client.get(f"/api/v1/tasks/?page={Pagination.max_page + 1}"))
    offset = f"OFFSET {Pagination.max_page * Pagination.page_size}"
    assert response.status_code == 404 and not [query for query in sql if offset in query]
    assert client.get(f"/api/v1/tasks/?page={Pagination.max_page}&page_size=100").status_code == 404  # Past the end.


@pytest.mark.parametrize("rows", [list(range(7)), tuple(range(7))])
def test_a_list_built_in_python_is_paged_and_counted(rows):
    request = Request(APIRequestFactory().get("/api/v1/ta-requests/queue/?page=2&page_size=3&count=true"))
    pagination = Pagination()
    assert pagination.paginate_queryset(rows, request) == [3, 4, 5]
    body = pagination.get_paginated_response([3, 4, 5]).data
    assert body["count"] == 7 and body["next"].endswith("?count=true&page=3&page_size=3")


def test_page_size_is_bounded_and_bad_sizes_fall_back_to_the_default(member, make_task):
    for n in range(3):
        make_task(title=f"T{n}")
    client = api_client(member)
    assert len(client.get("/api/v1/tasks/?page_size=1000").json()["results"]) == 3
    assert len(client.get("/api/v1/tasks/?page_size=abc").json()["results"]) == 3
    assert len(client.get("/api/v1/tasks/?page_size=1").json()["results"]) == 1


def test_an_empty_list_is_one_page(member):
    body = api_client(member).get("/api/v1/tasks/").json()
    assert body == {"next": None, "previous": None, "results": []}


def test_a_capped_task_page_says_1000_plus_and_points_to_the_filters(make_task, member, monkeypatch):
    for n in range(3):
        make_task(title=f"T{n}")
    monkeypatch.setattr(paging.CappedPaginator, "cap", 2)
    client = Client()
    client.force_login(member)
    page = client.get("/tasks/").content.decode()
    assert "2+ tasks" in page
    assert "narrow the list with the filters" in page
    monkeypatch.setattr(paging.CappedPaginator, "cap", 1000)
    assert "3 tasks" in client.get("/tasks/").content.decode()
