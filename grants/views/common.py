"""What every grants page does: render in the reader's time zone, answer 404 / 403 the same way, run one service."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from config.errors import NotFound, ServiceError
from config.forms import apply_error
from config.refusals import REFUSALS, refusal


def render_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    """Dates and times in the viewing user's time zone (deadlines also say the solicitation's)."""
    with timezone.override(request.user.time_zone):
        return render(request, template, context, status=status)


def error_message(error: ServiceError | ValidationError) -> str:
    return error.message if isinstance(error, ServiceError) else " ".join(error.messages)


def found(call: Callable):
    """Run a selector; its NotFound becomes the 404 page."""
    try:
        return call()
    except NotFound:
        raise Http404("Not found.") from None


def run(
    request: HttpRequest,
    call: Callable[[], object],
    *,
    done: Callable[[object], str],
    success: Callable[[object], HttpResponse],
    failure: Callable[[ServiceError | ValidationError], HttpResponse],
    back: tuple[str, str],
) -> HttpResponse:
    """One service call for one user action: the refusal page (back to `back`), the failure page, or success."""
    try:
        result = call()
    except REFUSALS as error:
        return refusal(request, error, back=back)
    except (ServiceError, ValidationError) as error:
        return failure(error)
    messages.success(request, done(result))
    return success(result)


def form_action(
    request: HttpRequest,
    *,
    form,
    call: Callable[[object], object],
    done: Callable[[object], str],
    success: Callable[[object], HttpResponse],
    render_with: Callable[[object], HttpResponse],
    back: tuple[str, str],
) -> HttpResponse:
    """A form with fields: invalid input or a refusal re-renders the page (400) with the error at its field."""
    if not form.is_valid():
        return render_with(form)

    def failure(error) -> HttpResponse:
        apply_error(form, error)
        return render_with(form)

    return run(request, lambda: call(form), done=done, success=success, failure=failure, back=back)


def message_and(response: Callable[[], HttpResponse], request: HttpRequest):
    """A failure handler for button-only forms: say what went wrong above the page and go back."""

    def handle(error: ServiceError | ValidationError) -> HttpResponse:
        messages.error(request, error_message(error))
        return response()

    return handle
