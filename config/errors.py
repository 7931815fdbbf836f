"""Errors that services raise; the API and the pages turn them into responses.

A service says *what* went wrong (a code a client can switch on, a sentence a
person can read, the field it concerns); the API maps the class to a status.
"""

from __future__ import annotations


class ServiceError(Exception):
    status = 400
    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field

    def details(self) -> list[dict]:
        """The `errors` list of the API answer: one entry per problem."""
        return [{"field": self.field, "code": self.code, "message": self.message}]


class NotAllowed(ServiceError):
    """The actor may see the object but may not do this."""

    status = 403
    default_code = "not_allowed"


class NotFound(ServiceError):
    """The object does not exist or the actor may not see it: both answer 404."""

    status = 404
    default_code = "not_found"


class Conflict(ServiceError):
    """The request is well-formed but the current state forbids it."""

    status = 409
    default_code = "conflict"
