"""The refusal page: where a service's error becomes a response for the server-rendered pages.

`config.api.exception_handler` does this for the API. Here it is `refusal`, with one template
(`templates/refused.html`); `RefusalMiddleware` sends it any `ServiceError` a page view lets escape.
"""

from __future__ import annotations

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from config.errors import NotAllowed, NotFound, ServiceError

# What a page answers with the refusal page instead of an error beside the form or above the page: the person
# may not do this (403) or may not see it (404). Bad input and conflicts are shown where the person acted.
REFUSALS = (NotAllowed, NotFound)


def refusal(request: HttpRequest, error: ServiceError, *, back: Model | tuple[str, str] | None = None) -> HttpResponse:
    """The refusal page at the error's status: what was refused, the service's reason, and a link back.

    `back` is the item the person acted on (a model with `get_absolute_url`, or a `(url, label)` pair); without
    it, or for a `NotFound` (the item may be what the person may not see), the link goes to the dashboard.
    """
    if isinstance(back, Model):
        back = (back.get_absolute_url(), str(back))
    if back is None or isinstance(error, NotFound):
        back = (reverse("dashboard"), "your dashboard")
    context = {"status": error.status, "message": error.message, "back_url": back[0], "back_label": back[1]}
    return render(request, "refused.html", context, status=error.status)


class RefusalMiddleware:
    """A `ServiceError` that leaves a page view gets the refusal page, never a 500.

    A view catches a refusal itself only to name the item to go back to, or to put the error on its form.
    DRF answers the API's errors inside its views, so none reaches this.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ServiceError):
            return refusal(request, exception)
        return None
