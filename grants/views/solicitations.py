"""Solicitation pages: the list with your applications, a solicitation, and the grant manager's forms on it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Membership, Role
from config.errors import NotAllowed
from config.paging import page_context
from config.refusals import refusal
from grants import forms, selectors, services
from grants.models import Solicitation
from grants.views.common import form_action, found, message_and, render_page, run

PER_PAGE = 25


def _solicitation(request: HttpRequest, solicitation_id: int) -> Solicitation:
    return found(lambda: selectors.solicitation_get(user=request.user, solicitation_id=solicitation_id))


def _url(solicitation: Solicitation, anchor: str = "") -> str:
    return reverse("grants-solicitation", args=[solicitation.pk]) + (f"#{anchor}" if anchor else "")


def _managed_agencies(user):
    return Membership.objects.active().filter(user=user, role=Role.GRANT_MANAGER).select_related("organization")


@require_safe
@login_required
def grants_home(request: HttpRequest) -> HttpResponse:
    """Solicitations (open first) and the applications the user takes part in or reviews."""
    now = timezone.now()
    solicitations = list(selectors.solicitation_list(user=request.user).prefetch_related(None))
    open_ = [s for s in solicitations if s.is_published and s.justgrants_deadline >= now]
    other = [s for s in solicitations if s not in open_]
    applications = selectors.application_list(user=request.user).order_by("-created_at", "-id")
    context = {
        "open_solicitations": open_,
        "other_solicitations": other,
        "page": page_context(request, applications, PER_PAGE)["page"],
        "can_create": _managed_agencies(request.user).exists(),
    }
    return render_page(request, "grants/home.html", context)


def _detail_context(request: HttpRequest, solicitation: Solicitation, bound: dict) -> dict:
    user = request.user
    manager = Solicitation.objects.managed_by(user).filter(pk=solicitation.pk).exists()
    start = bound.get("start") or forms.StartApplicationForm(solicitation=solicitation, user=user)
    context = {
        "solicitation": solicitation,
        "categories": list(solicitation.categories.all()),
        "criteria": list(solicitation.criteria.all()),
        "weights": sum(criterion.weight for criterion in solicitation.criteria.all()),
        "manager": manager,
        "reports": selectors.reports_allowed(user=user, solicitation=solicitation),
        "is_open": solicitation.is_published and solicitation.justgrants_deadline >= timezone.now(),
        "start_form": start if start.can_lead else None,
        # The grant manager edits and deletes a draft's categories and criteria; a published one's are fixed.
        "can_change_parts": manager and not solicitation.is_published,
    }
    if manager and not solicitation.is_published:
        # Both forms have a "title": the prefixes keep their element ids (and so their labels) apart.
        context["category_form"] = bound.get("category") or forms.CategoryForm(prefix="category")
        context["criterion_form"] = bound.get("criterion") or forms.CriterionForm(prefix="criterion")
    if manager:
        context["deadlines_form"] = bound.get("deadlines") or forms.DeadlinesForm(solicitation=solicitation)
    if context["reports"]:
        counts = selectors.stage_counts(user=user, solicitations=[solicitation])
        context["stage_counts"] = counts[solicitation.pk]
    return context


def _detail(request: HttpRequest, solicitation: Solicitation, bound: dict | None = None, status: int = 200):
    context = _detail_context(request, solicitation, bound or {})
    return render_page(request, "grants/solicitation_detail.html", context, status=status)


@require_safe
@login_required
def solicitation_detail(request: HttpRequest, solicitation_id: int) -> HttpResponse:
    return _detail(request, _solicitation(request, solicitation_id))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def solicitation_create(request: HttpRequest) -> HttpResponse:
    agencies = [membership.organization for membership in _managed_agencies(request.user)]
    if not agencies:
        error = NotAllowed("Only a BJA grant manager creates solicitations.")
        return refusal(request, error, back=(reverse("grants-home"), "Grants"))
    template = "grants/solicitation_form.html"
    if request.method != "POST":
        return render_page(request, template, {"form": forms.SolicitationForm()})
    return form_action(
        request,
        form=forms.SolicitationForm(request.POST),
        call=lambda form: services.solicitation_create(actor=request.user, agency=agencies[0], **form.cleaned_data),
        done=lambda solicitation: f"“{solicitation.title}” was created as a draft.",
        success=lambda solicitation: redirect(_url(solicitation)),
        render_with=lambda form: render_page(request, template, {"form": form}, status=400),
        back=(reverse("grants-home"), "Grants"),
    )


def _form_action(request, solicitation_id: int, *, key: str, form, call, done, anchor: str) -> HttpResponse:
    solicitation = _solicitation(request, solicitation_id)
    return form_action(
        request,
        form=form,
        call=lambda form: call(solicitation, form.cleaned_data),
        done=done,
        success=lambda result: redirect(getattr(result, "get_absolute_url", lambda: _url(solicitation, anchor))()),
        render_with=lambda form: _detail(request, solicitation, {key: form}, status=400),
        back=(_url(solicitation), solicitation.title),
    )


@login_required
@require_POST
def category_add(request: HttpRequest, solicitation_id: int) -> HttpResponse:
    return _form_action(
        request,
        solicitation_id,
        key="category",
        form=forms.CategoryForm(request.POST, prefix="category"),
        call=lambda solicitation, data: services.category_add(solicitation=solicitation, actor=request.user, **data),
        done=lambda category: f"{category} was added.",
        anchor="categories",
    )


@login_required
@require_POST
def criterion_add(request: HttpRequest, solicitation_id: int) -> HttpResponse:
    return _form_action(
        request,
        solicitation_id,
        key="criterion",
        form=forms.CriterionForm(request.POST, prefix="criterion"),
        call=lambda solicitation, data: services.criterion_add(solicitation=solicitation, actor=request.user, **data),
        done=lambda criterion: f"The criterion “{criterion.title}” was added.",
        anchor="criteria",
    )


@login_required
@require_POST
def deadlines_update(request: HttpRequest, solicitation_id: int) -> HttpResponse:
    solicitation = _solicitation(request, solicitation_id)
    return _form_action(
        request,
        solicitation_id,
        key="deadlines",
        form=forms.DeadlinesForm(request.POST, solicitation=solicitation),
        call=lambda solicitation, data: services.solicitation_update(
            solicitation=solicitation, actor=request.user, **data
        ),
        done=lambda _: "The deadlines were changed.",
        anchor="deadlines",
    )


@login_required
@require_POST
def solicitation_publish(request: HttpRequest, solicitation_id: int) -> HttpResponse:
    solicitation = _solicitation(request, solicitation_id)
    return run(
        request,
        lambda: services.solicitation_publish(solicitation=solicitation, actor=request.user),
        done=lambda _: "The solicitation is published: applicants can see it and apply.",
        success=lambda _: redirect(_url(solicitation)),
        failure=message_and(lambda: redirect(_url(solicitation)), request),
        back=(_url(solicitation), solicitation.title),
    )


@login_required
@require_POST
def application_start(request: HttpRequest, solicitation_id: int) -> HttpResponse:
    solicitation = _solicitation(request, solicitation_id)
    form = forms.StartApplicationForm(request.POST, solicitation=solicitation, user=request.user, any_organization=True)

    def start(solicitation, data):
        co_applicants = [data["co_applicant"]] if data.get("co_applicant") else []
        return services.application_create(
            solicitation=solicitation,
            organization=data["organization"],
            actor=request.user,
            title=data["title"],
            category=data["category"],
            co_applicants=co_applicants,
        )

    return _form_action(
        request,
        solicitation_id,
        key="start",
        form=form,
        call=start,
        done=lambda application: f"The application “{application.case.title}” was started.",
        anchor="apply",
    )
