"""Every API endpoint whose rows belong to a case is restricted by the one base viewset.

The list is read from the URL configuration, so a new endpoint is checked the day it is routed: a viewset over
a model that belongs to a case (Case itself, or a model whose required foreign keys lead to one) must extend
``workflow.viewsets.CaseScopedViewSet``, which restricts its rows before any view runs and cannot be bypassed
by overriding ``get_queryset``.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.generics import GenericAPIView

from tests.helpers import api_client
from workflow.models import Case
from workflow.viewsets import CaseScopedViewSet


def _routes(patterns=None, prefix: str = ""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def api_views() -> dict[type, list[str]]:
    """Every DRF generic view routed under /api/v1/, with its routes."""
    views: dict[type, list[str]] = {}
    for route, callback in _routes():
        view = getattr(callback, "cls", None)
        if route.startswith("api/v1/") and view is not None and issubclass(view, GenericAPIView):
            views.setdefault(view, []).append(route)
    return views


def belongs_to_a_case(model: type[models.Model], depth: int = 3) -> bool:
    """Case itself, or a model whose required foreign keys lead to a case within `depth` steps."""
    if model is Case:
        return True
    if depth == 0:
        return False
    return any(
        belongs_to_a_case(field.related_model, depth - 1)
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey) and not field.null
    )


def _model(view: type[GenericAPIView]) -> type[models.Model] | None:
    """The model of the view's rows: its queryset's, else its serializer's."""
    if view.queryset is not None:
        return view.queryset.model
    meta = getattr(view.serializer_class, "Meta", None)
    return getattr(meta, "model", None)


VIEWS = api_views()
CASE_SCOPED = sorted((view for view in VIEWS if _model(view) and belongs_to_a_case(_model(view))), key=str)


def test_the_url_configuration_routes_case_scoped_endpoints():
    print(f"{len(CASE_SCOPED)} case-scoped API viewsets of {len(VIEWS)}: {[view.__name__ for view in CASE_SCOPED]}")
    assert {"CaseViewSet", "MilestoneViewSet", "DocumentViewSet", "TaskViewSet"} <= {v.__name__ for v in CASE_SCOPED}


def test_every_api_view_names_its_model():
    """Without a queryset or a model serializer this test cannot tell whether a view's rows belong to a case."""
    unnamed = [view.__name__ for view in VIEWS if _model(view) is None]
    assert not unnamed, f"set `queryset` on {unnamed}"


@pytest.mark.parametrize("view", CASE_SCOPED, ids=lambda view: view.__name__)
def test_case_scoped_endpoints_use_the_base_viewset(view):
    assert issubclass(view, CaseScopedViewSet), f"{view.__name__} must extend workflow.viewsets.CaseScopedViewSet"
    assert view.get_queryset is CaseScopedViewSet.get_queryset


def test_the_base_refuses_a_subclass_that_restricts_by_hand():
    with pytest.raises(ImproperlyConfigured, match="overrides get_queryset"):

        class ByHand(CaseScopedViewSet):
            def get_queryset(self):
                return Case.objects.all()


DETAIL_ROUTES = sorted(
    {
        "/" + route.replace("(?P<pk>[^/.]+)", "x1").replace("^", "").replace("$", "")
        for view in CASE_SCOPED
        for route in VIEWS[view]
        if "(?P<pk>" in route and "<int:" not in route and "(?P<format>" not in route
    }
)


@pytest.mark.django_db
@pytest.mark.parametrize("route", DETAIL_ROUTES)
def test_an_id_that_cannot_be_one_is_not_found(route, member):
    """Not a number: a 404 in the error shape (never a 500 from filter(pk="x1"))."""
    response = api_client(member).get(route)
    assert response.status_code in (404, 405), (route, response.status_code)
    if response.status_code == 404:
        assert response.json()["code"] == "not_found"
