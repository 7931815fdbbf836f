"""Buttons that undo a draft solicitation's choices: delete a category, a criterion, or the draft itself."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from grants.services import solicitation_changes as changes
from grants.views.common import message_and, run
from grants.views.solicitations import _solicitation, _url


def _button(request: HttpRequest, solicitation_id: int, call, done: str, then: str | None = None) -> HttpResponse:
    solicitation = _solicitation(request, solicitation_id)
    back = lambda: redirect(_url(solicitation))  # noqa: E731 - a one-line response factory
    return run(
        request,
        lambda: call(solicitation),
        done=lambda _: done,
        success=lambda _: redirect(then) if then else back(),
        failure=message_and(back, request),
        back=(_url(solicitation), solicitation.title),
    )


@login_required
@require_POST
def solicitation_delete(request: HttpRequest, solicitation_id: int) -> HttpResponse:
    return _button(
        request,
        solicitation_id,
        lambda solicitation: changes.solicitation_delete(solicitation=solicitation, actor=request.user),
        "The draft solicitation was deleted.",
        then=reverse("grants-home"),
    )


@login_required
@require_POST
def category_delete(request: HttpRequest, solicitation_id: int, category_id: int) -> HttpResponse:
    return _button(
        request,
        solicitation_id,
        lambda solicitation: changes.category_delete(
            solicitation=solicitation, category_id=category_id, actor=request.user
        ),
        "The category was deleted.",
    )


@login_required
@require_POST
def criterion_delete(request: HttpRequest, solicitation_id: int, criterion_id: int) -> HttpResponse:
    return _button(
        request,
        solicitation_id,
        lambda solicitation: changes.criterion_delete(
            solicitation=solicitation, criterion_id=criterion_id, actor=request.user
        ),
        "The criterion was deleted.",
    )
