"""Changing a solicitation after it was written: edit it, its categories and criteria; delete a draft's parts or the
draft itself. Each delete is a confirmation page (``config.confirm``): nothing is deleted in one click.

A draft changes freely. A published solicitation's categories and criteria are fixed (applicants chose them); its
wording, deadlines and review period still change, as an amendment that tells the applicants with drafts
(``grants.services.amendments``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from config.confirm import Confirmation, confirm_page
from config.errors import NotFound, ServiceError
from config.refusals import refusal
from grants import forms, services
from grants.models import Category, Criterion, Solicitation
from grants.services import solicitation_changes as changes
from grants.services.solicitations import solicitation_manager_require
from grants.views.common import form_action, render_page
from grants.views.solicitations import _solicitation, _url

PAGE_METHODS = ["GET", "HEAD", "POST"]


def _back(solicitation: Solicitation) -> tuple[str, str]:
    return _url(solicitation), solicitation.title


def _part(solicitation: Solicitation, model, pk: int, user):
    """The draft's category or criterion a page changes, once the service's checks pass."""
    changes.solicitation_draft_require(
        solicitation=solicitation, actor=user, doing=f"change a {model._meta.verbose_name}"
    )
    part = model.objects.filter(solicitation=solicitation, pk=pk).first()
    if part is None:
        raise NotFound(f"{model._meta.verbose_name.capitalize()} not found.")
    return part


def _edit_page(
    request: HttpRequest,
    solicitation: Solicitation,
    *,
    allowed: Callable[[], object],
    make_form: Callable[[object], object],
    call: Callable[[object], object],
    done: Callable[[object], str],
    heading: str,
    intro: str,
    anchor: str,
) -> HttpResponse:
    """The form page of one change: prefilled on GET; on POST the service's error goes beside its field."""
    back = _back(solicitation)
    try:
        allowed()
    except ServiceError as error:
        return refusal(request, error, back=back)
    context = {"heading": heading, "intro": intro, "button": "Save the changes", "back": back}

    def page(form, status: int = 200) -> HttpResponse:
        return render_page(request, "grants/solicitation_form.html", context | {"form": form}, status=status)

    if request.method != "POST":
        return page(make_form(None))
    return form_action(
        request,
        form=make_form(request.POST),
        call=call,
        done=done,
        success=lambda _: redirect(_url(solicitation, anchor)),
        render_with=lambda form: page(form, status=400),
        back=back,
    )


@login_required
@require_http_methods(PAGE_METHODS)
def solicitation_edit(request: HttpRequest, solicitation_id: int) -> HttpResponse:
    solicitation = _solicitation(request, solicitation_id)
    if solicitation.is_published:
        intro = (
            "It is published: its categories and criteria are fixed. A change here is an amendment: the timeline of "
            "every draft application says what changed, and its applicants are told."
        )
    else:
        intro = "It is a draft: applicants do not see it until you publish it."
    return _edit_page(
        request,
        solicitation,
        allowed=lambda: solicitation_manager_require(solicitation=solicitation, actor=request.user),
        make_form=lambda data: forms.SolicitationEditForm(data, solicitation=solicitation),
        call=lambda form: services.solicitation_update(
            solicitation=solicitation, actor=request.user, **form.cleaned_data
        ),
        done=lambda saved: (
            "The solicitation was amended; applicants with a draft application are told what changed."
            if saved.is_published
            else "The draft was saved."
        ),
        heading=f"Edit “{solicitation.title}”",
        intro=intro,
        anchor="",
    )


@login_required
@require_http_methods(PAGE_METHODS)
def category_edit(request: HttpRequest, solicitation_id: int, category_id: int) -> HttpResponse:
    solicitation = _solicitation(request, solicitation_id)
    found: dict = {}
    return _edit_page(
        request,
        solicitation,
        allowed=lambda: found.setdefault("category", _part(solicitation, Category, category_id, request.user)),
        make_form=lambda data: forms.CategoryForm(data, initial=forms.CategoryForm.initial_for(found["category"])),
        call=lambda form: changes.category_update(
            solicitation=solicitation, category_id=category_id, actor=request.user, **form.cleaned_data
        ),
        done=lambda category: f"{category} was saved.",
        heading="Edit a category",
        intro="Applicants choose a category when they start an application; it is fixed once the solicitation is "
        "published.",
        anchor="categories",
    )


@login_required
@require_http_methods(PAGE_METHODS)
def criterion_edit(request: HttpRequest, solicitation_id: int, criterion_id: int) -> HttpResponse:
    solicitation = _solicitation(request, solicitation_id)
    found: dict = {}

    def initial() -> dict:
        criterion = found["criterion"]
        return {"title": criterion.title, "description": criterion.description, "weight": criterion.weight}

    return _edit_page(
        request,
        solicitation,
        allowed=lambda: found.setdefault("criterion", _part(solicitation, Criterion, criterion_id, request.user)),
        make_form=lambda data: forms.CriterionForm(data, initial=initial()),
        call=lambda form: changes.criterion_update(
            solicitation=solicitation, criterion_id=criterion_id, actor=request.user, **form.cleaned_data
        ),
        done=lambda criterion: f"The criterion “{criterion.title}” was saved.",
        heading="Edit a review criterion",
        intro="Peer reviewers score each criterion from 0 to its weight; the weights add up to 100 before publishing.",
        anchor="criteria",
    )


@login_required
@require_http_methods(PAGE_METHODS)
def solicitation_delete(request: HttpRequest, solicitation_id: int) -> HttpResponse:
    solicitation = _solicitation(request, solicitation_id)
    confirmation = Confirmation(
        title=f"Delete the draft “{solicitation.title}”",
        happens="The draft solicitation, its categories and its review criteria are deleted. No applicant has seen "
        "it: only a published solicitation can be applied to.",
        lasting="A deleted draft cannot be brought back; you would write it again.",
        button="Delete the draft",
        back=_back(solicitation),
    )
    return confirm_page(
        request,
        confirmation,
        allowed=lambda: changes.solicitation_draft_require(
            solicitation=solicitation, actor=request.user, doing="delete it"
        ),
        call=lambda _: changes.solicitation_delete(solicitation=solicitation, actor=request.user),
        done=lambda _: f"The draft “{solicitation.title}” was deleted.",
        then=lambda _: reverse("grants-home"),
    )


@login_required
@require_http_methods(PAGE_METHODS)
def category_delete(request: HttpRequest, solicitation_id: int, category_id: int) -> HttpResponse:
    solicitation = _solicitation(request, solicitation_id)
    category = Category.objects.filter(solicitation=solicitation, pk=category_id).first()
    confirmation = Confirmation(
        title=f"Delete {category}" if category else "Delete a category",
        happens="The category leaves the draft solicitation; applicants will not be able to choose it.",
        lasting="A deleted category cannot be brought back; you would add it again.",
        button="Delete the category",
        back=_back(solicitation),
    )
    return confirm_page(
        request,
        confirmation,
        allowed=lambda: _part(solicitation, Category, category_id, request.user),
        call=lambda _: changes.category_delete(solicitation=solicitation, category_id=category_id, actor=request.user),
        done=lambda _: f"{category} was deleted.",
        then=lambda _: _url(solicitation, "categories"),
    )


@login_required
@require_http_methods(PAGE_METHODS)
def criterion_delete(request: HttpRequest, solicitation_id: int, criterion_id: int) -> HttpResponse:
    solicitation = _solicitation(request, solicitation_id)
    criterion = Criterion.objects.filter(solicitation=solicitation, pk=criterion_id).first()
    confirmation = Confirmation(
        title=f"Delete the criterion “{criterion.title}”" if criterion else "Delete a review criterion",
        happens="The criterion leaves the draft solicitation, and its weight with it: the weights must add up to "
        "100 again before you publish.",
        lasting="A deleted criterion cannot be brought back; you would add it again.",
        button="Delete the criterion",
        back=_back(solicitation),
    )
    return confirm_page(
        request,
        confirmation,
        allowed=lambda: _part(solicitation, Criterion, criterion_id, request.user),
        call=lambda _: changes.criterion_delete(
            solicitation=solicitation, criterion_id=criterion_id, actor=request.user
        ),
        done=lambda _: f"The criterion “{criterion.title}” was deleted.",
        then=lambda _: _url(solicitation, "criteria"),
    )
