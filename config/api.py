"""API conventions shared by every app: the error shape and bounded pagination without a count.

Every error answer looks like::

    {"code": "invalid", "message": "role: not a role of a behavioral_health organization.",
     "errors": [{"field": "role", "code": "invalid_role", "message": "..."}]}
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import ServiceError


class Pagination(BasePagination):
    """Numbered pages of at most 100 rows that do not count the whole list.

    A page is read with one row more than it shows: that row says whether a next page exists. The total
    (``count``) costs a second pass over every matching row, which on a grant manager's 13,000 cases or a
    partner's task list is most of the request's time (docs/benchmarks.md), so it is sent only when asked
    for with ``?count=true``. ``?page=N`` past the end answers 404, as an unknown page should, and so does a page
    past ``max_page``: no list here is paged that deep (filters narrow it), and its offset would overflow the
    database's integer. A list built in Python (a queue, a ranking) is paged and counted as a queryset is.
    """

    page_size = 25
    max_page_size = 100
    page_query_param = "page"
    page_size_query_param = "page_size"
    count_query_param = "count"
    #: The deepest page served: 100 rows a page reach the millionth row, far past any list here.
    max_page = 10_000

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self._positive(request.query_params.get(self.page_size_query_param), self.page_size)
        self.page_size = min(self.page_size, self.max_page_size)
        self.page = self._positive(request.query_params.get(self.page_query_param), 1, strict=True)
        offset = (self.page - 1) * self.page_size
        rows = list(queryset[offset : offset + self.page_size + 1])
        if self.page > 1 and not rows:
            raise exceptions.NotFound("Invalid page.")
        self.has_next = len(rows) > self.page_size
        wanted = request.query_params.get(self.count_query_param, "").lower() in ("1", "true", "yes")
        self.count = _count(queryset) if wanted else None
        return rows[: self.page_size]

    def _positive(self, value: str | None, default: int, *, strict: bool = False) -> int:
        if value in (None, ""):
            return default
        try:
            number = int(value)
        except ValueError:
            number = 0
        if number < 1 or (strict and number > self.max_page):
            if strict:
                raise exceptions.NotFound("Invalid page.")
            return default
        return number

    def get_paginated_response(self, data):
        body = {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        if self.count is not None:
            body = {"count": self.count, **body}
        return Response(body)

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, self.page + 1)

    def get_previous_link(self) -> str | None:
        if self.page == 1:
            return None
        url = self.request.build_absolute_uri()
        if self.page == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.page - 1)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "description": "Every matching row; only with ?count=true."},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        def parameter(name, description, **schema):
            return {"name": name, "required": False, "in": "query", "description": description, "schema": schema}

        return [
            parameter(self.page_query_param, f"A page number, from 1 to {self.max_page}.",
                      type="integer", minimum=1, maximum=self.max_page),
            parameter(self.page_size_query_param, f"Rows per page, at most {self.max_page_size}.",
                      type="integer", minimum=1, maximum=self.max_page_size),
            parameter(self.count_query_param, "true: also send the total (an extra pass).", type="boolean"),
        ]  # fmt: skip


def _count(rows) -> int:
    """Every row of a list: one COUNT for a queryset, its length for a list built in Python."""
    return rows.count() if isinstance(rows, QuerySet) else len(rows)


def _flatten(detail, field: str | None = None) -> list[dict]:
    """DRF's nested error detail as a flat list of {field, code, message}."""
    if isinstance(detail, dict):
        items = []
        for key, value in detail.items():
            name = key if field is None else f"{field}.{key}"
            items += _flatten(value, None if key in ("non_field_errors", "__all__") else name)
        return items
    if isinstance(detail, list):
        return [item for value in detail for item in _flatten(value, field)]
    return [{"field": field, "code": getattr(detail, "code", "invalid"), "message": str(detail)}]


def error_response(*, code: str, message: str, errors: list[dict] | None = None, status_code: int) -> Response:
    return Response({"code": code, "message": message, "errors": errors or []}, status=status_code)


def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any other path under /api/v1/ (a word where an ``<int:…>`` route wants an id, a typo): 404 in the one shape."""
    return JsonResponse({"code": "not_found", "message": "Not found.", "errors": []}, status=404)


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        return error_response(code=exc.code, message=exc.message, errors=exc.details(), status_code=exc.status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = errors[0] if errors else {"field": None, "message": "Invalid input."}
        prefix = f"{first['field']}: " if first["field"] else ""
        response.data = {"code": "invalid", "message": prefix + first["message"], "errors": errors}
        response.status_code = status.HTTP_400_BAD_REQUEST
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = {"code": code if isinstance(code, str) else "error", "message": str(detail), "errors": []}
    return response
