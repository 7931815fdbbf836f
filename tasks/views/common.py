"""What the task pages share: running one service call and telling the person what happened."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from config.errors import NotAllowed, NotFound, ServiceError
from config.paging import page_context

PER_PAGE = 25


def refused(request: HttpRequest, error: NotAllowed) -> HttpResponse:
    """403 with the service's reason: a bare 403 would not say why."""
    return render(request, "tasks/refused.html", {"message": error.message}, status=403)


def act(
    request: HttpRequest, action: Callable[[], object], *, done: Callable[[object], str], back: str
) -> HttpResponse:
    """Run one service call; come back to `back` with a success or error message (404/403 as such)."""
    try:
        result = action()
    except NotFound:
        raise Http404("Not found.") from None
    except NotAllowed as error:
        return refused(request, error)
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
