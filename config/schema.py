"""The OpenAPI description of what every endpoint can answer, errors included (drf-spectacular).

drf-spectacular describes each endpoint's success. Its errors all come from one handler in one shape
(``config.api``), so they are described here once: each operation lists the error statuses it can give, each
answered by the ``Error`` component. ``tests/security/test_api_contract.py`` holds the API to this description:
a status or a body the schema does not name fails the suite.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers
from rest_framework.permissions import AllowAny

ERRORS = {
    "400": "Invalid input: `errors` names each field that is wrong (`field` is null for the whole request).",
    "401": "Not signed in: no session, or a missing, unknown or expired token.",
    "403": "Signed in, but not allowed to do this.",
    "404": "Not found: no such object, one you may not see, or a page past the end of a list.",
    "409": "The current state forbids this: a stale version, an unmet guard, a duplicate.",
    "429": "Too many attempts: try again later.",
}


# A time of day is local to its organization ("17:00:00"), with no offset: OpenAPI's "time" format (RFC 3339's
# full-time) demands one, so a time is described by this pattern instead.
TIME_OF_DAY = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="The input field (dotted when nested), or null.")
    code = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="What went wrong, for a program to switch on (`not_found`, `invalid`…).")
    message = serializers.CharField(help_text="What went wrong, for a person to read.")
    errors = FieldErrorSerializer(many=True)


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's description plus the error statuses each operation can answer, and local times."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        for status in self.error_statuses(operation):
            operation["responses"].setdefault(
                status, {"description": ERRORS[status], "content": {"application/json": {"schema": error}}}
            )
        return operation

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.TimeField) and schema.get("format") == "time":
            del schema["format"]
            schema["pattern"] = TIME_OF_DAY
        return schema

    def error_statuses(self, operation: dict) -> list[str]:
        write = self.method not in ("GET", "HEAD", "OPTIONS")
        query = any(parameter["in"] == "query" for parameter in operation.get("parameters", []))
        paged = self.method == "GET" and self._is_list_view() and self._get_paginator() is not None
        signed_in = not all(isinstance(permission, AllowAny) for permission in self.view.get_permissions())
        found = {
            "400": write or query,
            "401": signed_in,
            "403": True,  # A role that may not, or a session write without its CSRF token.
            "404": "{" in self.path or paged or write,  # A write may name, in its body, an object you cannot see.
            "409": write,
            "429": bool(self.view.get_throttles()),
        }
        return [status for status, applies in found.items() if applies]
