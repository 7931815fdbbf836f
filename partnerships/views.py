"""Partnership pages: list, open one, the partnership page, agreements, assessments.

Every page starts from a selector that goes through ``Case.objects.visible_to``:
an outsider gets 404; a refused action (a viewer's) gets the refusal page
(``config.refusals``) with the reason; bad input comes back with the error next
to its field (400) and nothing saved. The partnership page is composed of the
workflow sections.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Membership, Organization, OrganizationKind
from accounts.security_log import export_record
from config.errors import NotAllowed, ServiceError
from config.exports import table_response
from config.forms import apply_error
from config.refusals import REFUSALS, refusal
from partnerships import exports, forms
from partnerships.models import Agreement, Assessment, AssessmentAnswer, Partnership
from partnerships.pages import assessment_page_context, partnership_page_context
from partnerships.rules import STAFF_ROLES
from partnerships.selectors import assessments as assessment_selectors
from partnerships.selectors.partnerships import partnership_get, partnership_list
from partnerships.services import agreements, assessments, partnerships
from workflow.access import EDIT, case_rights


def _partnership(request: HttpRequest, partnership_id: int) -> Partnership:
    try:
        return partnership_get(user=request.user, partnership_id=partnership_id)
    except Partnership.DoesNotExist:
        raise Http404("Partnership not found.") from None


def _back(partnership: Partnership, anchor: str = "") -> HttpResponse:
    return redirect(reverse("partnership-detail", args=[partnership.pk]) + anchor)


def _lead_agencies(user):
    """The law enforcement agencies the user may open a partnership for (as an admin or member)."""
    staff = Membership.objects.active().filter(user=user, role__in=STAFF_ROLES)
    return Organization.objects.filter(
        id__in=staff.values("organization_id"), kind=OrganizationKind.LAW_ENFORCEMENT
    ).order_by("name")


def run(request, *, case, action, then, on_error, success=None, form=None) -> HttpResponse:
    """One service call, then: the refusal page (back to `case`, if any) / the error on `form` (or as a message)
    and `on_error()` / the `success(result)` message and `then(result)`."""
    try:
        result = action()
    except REFUSALS as error:
        return refusal(request, error, back=case)
    except (ServiceError, ValidationError) as error:
        if form is not None:
            apply_error(form, error)
        else:
            messages.error(request, error.message if isinstance(error, ServiceError) else " ".join(error.messages))
        return on_error()
    if success is not None:
        messages.success(request, success(result))
    return then(result)


@require_safe
@login_required
def partnership_list_page(request: HttpRequest) -> HttpResponse:
    rows = list(partnership_list(user=request.user))
    can_open = _lead_agencies(request.user).exists()
    return render(request, "partnerships/partnership_list.html", {"partnerships": rows, "can_open": can_open})


@require_safe
@login_required
def partnership_list_export(request: HttpRequest, extension: str) -> HttpResponse:
    if extension not in ("csv", "xlsx"):
        raise Http404("No such export.")
    export_record(actor=request.user, export="partnerships", format=extension)
    table = exports.partnership_table(partnership_list(user=request.user))
    return table_response(table, name=f"partnerships-{timezone.localdate():%Y%m%d}", extension=extension)


@require_http_methods(["GET", "POST"])
@login_required
def partnership_create(request: HttpRequest) -> HttpResponse:
    leads = _lead_agencies(request.user)
    if not leads.exists():
        error = NotAllowed("Only staff (admins and members) of a law enforcement agency can open a partnership.")
        return refusal(request, error)
    form = forms.PartnershipForm(request.POST or None, leads=leads, awards=forms.award_cases(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return run(
            request,
            case=None,
            form=form,
            action=lambda: partnerships.partnership_create(
                actor=request.user,
                lead=data["lead"],
                title=data["title"],
                members=form.members(),
                jurisdiction=data["jurisdiction"],
                population_served=data["population_served"],
                response_models=data["response_models"],
                description=data["description"],
                award=data.get("award"),
            ),
            success=lambda created: f"“{created.case.title}” is open, in Exploring.",
            then=lambda created: _back(created),
            on_error=lambda: render(request, "partnerships/partnership_form.html", {"form": form}, status=400),
        )
    status = 400 if request.method == "POST" else 200
    return render(request, "partnerships/partnership_form.html", {"form": form}, status=status)


@require_safe
@login_required
def partnership_detail(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id)
    return render(request, "partnerships/partnership_detail.html", partnership_page_context(request, partnership))


def _detail_again(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    """The partnership page again, with the refusal as a message: a bad request answers 400, not a redirect."""
    partnership = _partnership(request, partnership.pk)
    context = partnership_page_context(request, partnership)
    return render(request, "partnerships/partnership_detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def agreement_create(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id)
    if EDIT not in case_rights(user=request.user, case=partnership.case):
        return refusal(request, NotAllowed("Only partners who work on it can add agreements."), back=partnership.case)
    members = Organization.objects.filter(partnership_memberships__partnership=partnership).order_by("name")
    form = forms.AgreementForm(request.POST or None, request.FILES or None, members=members)
    context = {"partnership": partnership, "form": form, "no_health_data": forms.NO_HEALTH_DATA}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        return run(
            request,
            case=partnership.case,
            form=form,
            action=lambda: agreements.agreement_create(
                partnership=partnership, actor=request.user, upload=upload, **data
            ),
            success=lambda agreement: f"“{agreement.title}” was recorded; each party now signs it.",
            then=lambda agreement: _back(partnership, "#agreements"),
            on_error=lambda: render(request, "partnerships/agreement_form.html", context, status=400),
        )
    return render(request, "partnerships/agreement_form.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@login_required
def agreement_sign(request: HttpRequest, partnership_id: int, agreement_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id)
    agreement = Agreement.objects.filter(partnership=partnership, pk=agreement_id).first()
    if agreement is None:
        raise Http404("Agreement not found.")
    form = forms.SignForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "The signature was not recorded: " + " ".join(e for errs in form.errors.values() for e in errs)
        )
        return _detail_again(request, partnership)
    return run(
        request,
        case=partnership.case,
        action=lambda: agreements.agreement_sign(agreement=agreement, actor=request.user, **form.cleaned_data),
        success=lambda party: f"{party.organization} signed “{agreement.title}”.",
        then=lambda party: _back(partnership, "#agreements"),
        on_error=lambda: _detail_again(request, partnership),
    )


@require_POST
@login_required
def assessment_start(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id)
    form = forms.AssessmentStartForm(request.POST)
    if not form.is_valid():
        raise Http404("Organization not found.")
    return run(
        request,
        case=partnership.case,
        action=lambda: assessments.assessment_start(
            partnership=partnership, organization=form.cleaned_data["organization"], actor=request.user
        ),
        then=lambda assessment: redirect("assessment-detail", partnership.pk, assessment.pk),
        on_error=lambda: _detail_again(request, partnership),
    )


def _assessment(request: HttpRequest, partnership: Partnership, assessment_id: int) -> Assessment:
    try:
        assessment = assessment_selectors.assessment_get(user=request.user, assessment_id=assessment_id)
    except Assessment.DoesNotExist:
        raise Http404("Assessment not found.") from None
    if assessment.partnership_id != partnership.pk:
        raise Http404("Assessment not found.")
    return assessment


@require_http_methods(["GET", "POST"])
@login_required
def assessment_detail(request: HttpRequest, partnership_id: int, assessment_id: int) -> HttpResponse:
    """The assessment form while it is a draft (save or submit), its scores and change once submitted."""
    partnership = _partnership(request, partnership_id)
    assessment = _assessment(request, partnership, assessment_id)
    answers = list(assessment.answers.all())
    form = forms.AssessmentForm(request.POST or None, answers=answers, locked=assessment.is_locked)
    if request.method == "POST":
        if not form.is_valid():
            context = assessment_page_context(request, partnership, assessment, answers, form)
            return render(request, "partnerships/assessment.html", context, status=400)
        submit = request.POST.get("action") == "submit"
        service = assessments.assessment_submit if submit else assessments.assessment_save
        return run(
            request,
            case=partnership.case,
            form=form,
            action=lambda: service(assessment=assessment, actor=request.user, answers=form.answers()),
            success=lambda saved: (
                "The assessment was submitted and is now locked."
                if submit
                else "Your answers were saved; the assessment is still a draft."
            ),
            then=lambda saved: redirect("assessment-detail", partnership.pk, assessment.pk),
            on_error=lambda: render(
                request,
                "partnerships/assessment.html",
                assessment_page_context(
                    request, partnership, _assessment(request, partnership, assessment_id), answers, form
                ),
                status=400,
            ),
        )
    context = assessment_page_context(request, partnership, assessment, answers, form)
    return render(request, "partnerships/assessment.html", context)


def _assessment_again(request: HttpRequest, partnership: Partnership, assessment_id: int) -> HttpResponse:
    assessment = _assessment(request, partnership, assessment_id)
    answers = list(assessment.answers.all())
    form = forms.AssessmentForm(answers=answers, locked=assessment.is_locked)
    context = assessment_page_context(request, partnership, assessment, answers, form)
    return render(request, "partnerships/assessment.html", context, status=400)


def _gap_action(request: HttpRequest, partnership_id: int, assessment_id: int, answer_id: int, service, success):
    """Run `service(answer=, actor=, due_date=)` on one answer of the assessment and come back to its page."""
    partnership = _partnership(request, partnership_id)
    assessment = _assessment(request, partnership, assessment_id)
    answer = AssessmentAnswer.objects.filter(assessment=assessment, pk=answer_id).first()
    if answer is None:
        raise Http404("Answer not found.")
    form = forms.GapForm(request.POST)
    due_date = form.cleaned_data["due_date"] if form.is_valid() else None
    return run(
        request,
        case=partnership.case,
        action=lambda: service(answer=answer, actor=request.user, due_date=due_date),
        success=success,
        then=lambda made: redirect("assessment-detail", partnership.pk, assessment.pk),
        on_error=lambda: _assessment_again(request, partnership, assessment.pk),
    )


@require_POST
@login_required
def assessment_gap_plan(request: HttpRequest, partnership_id: int, assessment_id: int, answer_id: int) -> HttpResponse:
    return _gap_action(
        request, partnership_id, assessment_id, answer_id, assessments.assessment_gap_plan,
        success=lambda milestone: f"“{milestone.title}” is now a milestone on the partnership.",
    )  # fmt: skip


@require_POST
@login_required
def assessment_gap_task(request: HttpRequest, partnership_id: int, assessment_id: int, answer_id: int) -> HttpResponse:
    return _gap_action(
        request, partnership_id, assessment_id, answer_id, assessments.assessment_gap_task,
        success=lambda task: f"“{task.title}” is now a task for {task.assignee_label}.",
    )  # fmt: skip
