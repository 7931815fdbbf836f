"""The "Waiting for me" page and its dashboard section: what waits on the signed-in person, most urgent first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from config.errors import ServiceError
from config.paging import page_context
from config.refusals import refusal
from reminders.queue import queue_for_user, queue_items
from workflow.routing import step_choices

PER_PAGE = 25
SHOWN_ON_DASHBOARD = 5


@require_safe
@login_required
def queue_page(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or None
    try:
        rows = queue_for_user(user=request.user, kind=kind)
    except ServiceError as error:
        return refusal(request, error)
    context = page_context(request, rows, PER_PAGE)
    context["items"] = queue_items(context["page"].object_list, user=request.user)
    context["kinds"] = sorted(step_choices(), key=lambda choice: choice[1])
    context["kind"] = kind
    return render(request, "reminders/queue.html", context)


def queue_section(request) -> dict | None:
    """The dashboard's first section: the few most urgent items and how many there are (one query; the navigation
    reuses the count)."""
    user = request.user
    if not user.is_authenticated:
        return None
    first = queue_for_user(user=user).with_total()[:SHOWN_ON_DASHBOARD]
    request._queue_count = first.total()  # The navigation's count too.
    return {
        "template": "reminders/sections/queue.html",
        "context": {"items": queue_items(first, user=user), "total": request._queue_count},
    }
