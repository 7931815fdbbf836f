"""Declared query-string filters for the hot API lists: each parameter a Django form field and what it does.

django-filter builds a FilterSet per request and deep-copies every filter into it (a few thousand ``deepcopy``
calls for the task list's nine filters, about a fifth of the request: docs/benchmarks.md). The lists people
poll most (tasks, cases) read their parameters here instead: each value is cleaned by the same form field
django-filter would use, so the answers and the 400s are the same, and a test compares the two on valid and
invalid query strings. The FilterSet stays the documented schema (drf-spectacular reads it) and the pages' form.

    TASK_PARAMS = {"case": Param(forms.IntegerField(min_value=1), lambda rows, value, request: ...)}
    rows = params_apply(rows, request, TASK_PARAMS, defaults={"status": "active"})
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.utils import ErrorDict, ErrorList
from django_filters.constants import EMPTY_VALUES
from django_filters.utils import translate_validation


class Param(NamedTuple):
    field: forms.Field
    #: (rows, the cleaned value, the request) -> rows. Not called for an absent or empty parameter; an unchecked
    #: box cleans to False and is passed on, as django-filter does.
    apply: Callable[[QuerySet, object, object], QuerySet]


def field_filter(lookup: str) -> Callable[[QuerySet, object, object], QuerySet]:
    """A parameter that filters one lookup by its value (``case`` -> ``case_id=value``)."""
    return lambda rows, value, request: rows.filter(**{lookup: value})


def params_apply(rows: QuerySet, request, declared: dict[str, Param], *, defaults: dict | None = None) -> QuerySet:
    """`rows` filtered by the request's query string as `declared`; a 400 naming each bad parameter, as
    django-filter's backend answers (``translate_validation`` of the same form errors)."""
    data = request.query_params
    errors = ErrorDict()
    for name, param in declared.items():
        widget = param.field.widget
        raw = widget.value_from_datadict(data, {}, name)
        if raw in (None, "", []) and defaults and name in defaults:
            raw = defaults[name]
        try:
            value = param.field.clean(raw)
        except ValidationError as error:
            errors[name] = ErrorList(error.error_list)
            continue
        if value in EMPTY_VALUES:  # As django-filter's Filter.filter: nothing asked, nothing done.
            continue
        rows = param.apply(rows, value, request)
    if errors:
        raise translate_validation(errors)
    return rows
