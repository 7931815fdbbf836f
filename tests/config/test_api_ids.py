"""An id in an API URL that cannot be one is not found: every route with an id, every method it answers.

The routes come from the URL configuration, so a route added tomorrow is probed the day it is routed. An id
that is not a number, or a number past the largest a column holds (PostgreSQL's bigint, SQLite's integer), is a
404 in the API's error shape, never a 500 from ``filter(pk="x1")`` or an integer overflow in the database.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.helpers import api_client

NOT_IDS = ["x1", "99999999999999999999", "-1", "0"]
_KWARG = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _routes(patterns=None, prefix: str = ""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def _methods(callback) -> list[str]:
    """The methods a route answers (a viewset's actions, an APIView's handlers) less those the view turns away."""
    view = getattr(callback, "cls", None)
    actions = getattr(callback, "actions", None) or {m: m for m in ("get", "post", "put", "patch", "delete")}
    return sorted(m for m, name in actions.items() if hasattr(view, name) and m in view.http_method_names)


def id_routes() -> list[tuple[str, str]]:
    """(method, URL template with "{}" for every id) of every API route with an id in its path."""
    found = set()
    for route, callback in _routes():
        route = route.replace("^", "").replace("$", "").replace("\\.", ".")
        names = {a or b for a, b in _KWARG.findall(route)}
        if not route.startswith("api/v1/") or not names or "format" in names:  # ".json" suffixes: not ids.
            continue
        template = "/" + _KWARG.sub("{}", route)
        found.update((method, template) for method in _methods(callback))
    return sorted(found)


ROUTES = id_routes()


def test_the_probe_sees_the_nested_routes():
    templates = {template for _, template in ROUTES}
    assert {"/api/v1/cases/{}/tasks/", "/api/v1/organizations/{}/members/{}/", "/api/v1/solicitations/{}/ranking/"} <= (
        templates
    )
    assert len(ROUTES) > 90, len(ROUTES)


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "template"), ROUTES, ids=[f"{m.upper()} {t}" for m, t in ROUTES])
def test_an_id_that_cannot_be_one_is_not_found(method, template, staff, member):
    # A superuser passes every access rule, so the id reaches the deepest lookups; a member is stopped earlier.
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    for user in (staff, member):
        client = api_client(user)
        for value in NOT_IDS:
            url = template.replace("{}", value)
            response = getattr(client, method)(url, {}, format="json")
            assert response.status_code == 404, (method.upper(), url, response.status_code, response.content[:300])
            body = response.json()
            assert body["code"] == "not_found", (url, body)
            assert set(body) == {"code", "message", "errors"}, (url, body)
