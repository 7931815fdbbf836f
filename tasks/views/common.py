"""What the task pages share: running one service call and telling the person what happened."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from config.errors import ServiceError
from config.paging import page_context
from config.refusals import REFUSALS, refusal

PER_PAGE = 25


def act(
    request: HttpRequest,
    action: Callable[[], object],
    *,
    done: Callable[[object], str],
    back: str,
    back_label: str = "",
) -> HttpResponse:
    """Run one service call; come back to `back` with a success or error message, or show the refusal page
    (linking to `back` when it has a `back_label`)."""
    try:
        result = action()
    except REFUSALS as error:
        return refusal(request, error, back=(back, back_label) if back_label else None)
    except ServiceError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done(result))
    return redirect(back)


def invalid(request: HttpRequest, form, back: str) -> HttpResponse:
    problems = [
        f"{form.fields[name].label if name in form.fields else name}: {' '.join(errors)}"
        for name, errors in form.errors.items()
    ]
    messages.error(request, "The form was not accepted. " + " ".join(problems))
    return redirect(back)


def paginate(request: HttpRequest, queryset) -> dict:
    return page_context(request, queryset, PER_PAGE)
