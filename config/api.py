"""API conventions shared by every app: the error shape and bounded pagination.

Every error answer looks like::

    {"code": "invalid", "message": "role: not a role of a behavioral_health organization.",
     "errors": [{"field": "role", "code": "invalid_role", "message": "..."}]}
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import ServiceError


class Pagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


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
