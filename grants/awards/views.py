"""Award pages: the award, one report, the lists (grant manager's compliance view, our reporting calendar) and
their exports. Each form posts here and calls one service."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Membership, Role, User
from accounts.security_log import export_record
from config.errors import ServiceError
from config.refusals import REFUSALS, refusal
from grants.awards import exports, forms, selectors, services
from grants.awards.machine import DEDICATED
from grants.models import Award, Modification, Report
from grants.rules import administers_lead, manages_grant, works_for_lead
from grants.selectors import application_list
from grants.views.common import error_message, found, render_page
from workflow.access import EDIT
from workflow.views import case_page_context


def _award(request: HttpRequest, award_id: int) -> Award:
    return found(lambda: selectors.award_get(user=request.user, award_id=award_id))


def _report(request: HttpRequest, award_id: int, report_id: int) -> Report:
    report = found(lambda: selectors.report_get(user=request.user, report_id=report_id))
    if report.award_id != award_id:
        raise Http404("Not found.")
    return report


def award_context(request: HttpRequest, award: Award) -> dict:
    user, case = request.user, award.case
    context = case_page_context(request=request, case=case)
    manager = manages_grant(user, case)
    reports = list(selectors.report_list(award=award))
    context.update(
        award=award,
        compliance=selectors.award_compliance(award),
        transitions=[t for t in context["transitions"] if t.name not in DEDICATED],
        reports=[r for r in reports if r.kind != "planning"],
        planning=[r for r in reports if r.kind == "planning"],
        modifications=list(award.modifications.select_related("prepared_by", "decided_by", "partner_leaving")),
        match=selectors.match_years(award=award),
        grant_manager=manager,
        lead_worker=works_for_lead(user, case),
        editable=EDIT in context["rights"],
        is_representative=user.pk == award.authorized_representative_id,
        may_prepare=user.pk in (award.award_administrator_id, award.alternate_administrator_id),
        is_administrator=user.pk == award.award_administrator_id,
        decline_form=forms.DeclineForm(),
        modification_form=forms.ModificationForm(partners=selectors.award_partners(award)),
        match_form=forms.MatchForm(),
        planning_form=forms.PlanningSpendingForm(),
        comment_form=forms.CommentForm(),
        roles_form=None,
    )
    if administers_lead(user, case):
        context["roles_form"] = forms.AwardRolesForm(members=_lead_staff(award), award=award)
    return context


STAFF = (Role.ADMIN, Role.MEMBER)


def _lead_staff(award: Award) -> QuerySet[User]:
    """Who may hold a grantee role: the lead agency's active admins and members."""
    working = Membership.objects.active().filter(organization_id=award.case.organization_id, role__in=STAFF)
    return User.objects.filter(pk__in=working.values("user_id")).order_by("full_name", "email")


@require_safe
@login_required
def case_redirect(request: HttpRequest, case_id: int) -> HttpResponse:
    """The page of a grants case (the machines' page_url): the application or the award."""
    award = Award.objects.visible_to(request.user).filter(case_id=case_id).values_list("id", flat=True).first()
    if award is not None:
        return redirect("grants-award-detail", award)
    application = application_list(user=request.user).filter(case_id=case_id).values_list("id", flat=True)
    if not application:
        raise Http404("Not found.")
    return redirect("grants-application", application[0])


@require_safe
@login_required
def award_detail(request: HttpRequest, award_id: int) -> HttpResponse:
    return render_page(request, "grants/award_detail.html", award_context(request, _award(request, award_id)))


@require_safe
@login_required
def report_detail(request: HttpRequest, award_id: int, report_id: int) -> HttpResponse:
    report = _report(request, award_id, report_id)
    award = _award(request, award_id)
    context = award_context(request, award)
    context.update(report=report, text_form=forms.ReportTextForm(initial={"text": report.text}))
    return render_page(request, "grants/award_report.html", context)


def _act(request: HttpRequest, award: Award, call: Callable[[], object], done: str, anchor: str, back: str = ""):
    """One service call: the refusal page, or back to the page with what happened (or what is wrong)."""
    url = (back or award.get_absolute_url()) + f"#{anchor}"
    try:
        call()
    except REFUSALS as error:
        return refusal(request, error, back=(url, award.case.title))
    except ServiceError as error:
        messages.error(request, error_message(error))
        return redirect(url)
    messages.success(request, done)
    return redirect(url)


def _form(request: HttpRequest, form_class) -> tuple[object, str | None]:
    form = form_class(request.POST)
    if form.is_valid():
        return form, None
    return form, "; ".join(f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items())


def _with_form(request, award, form_class, call, done: str, anchor: str, back: str = "") -> HttpResponse:
    form, problem = _form(request, form_class)
    if problem:
        messages.error(request, problem)
        return redirect((back or award.get_absolute_url()) + f"#{anchor}")
    return _act(request, award, lambda: call(form), done, anchor, back)


@login_required
@require_POST
def award_roles(request: HttpRequest, award_id: int) -> HttpResponse:
    award = _award(request, award_id)
    form_class = lambda data: forms.AwardRolesForm(data, members=_lead_staff(award))  # noqa: E731
    call = lambda form: services.award_roles_set(award=award, actor=request.user, **form.cleaned_data)  # noqa: E731
    return _with_form(request, award, form_class, call, "The award roles were assigned.", "award-heading")


@login_required
@require_POST
def award_accept(request: HttpRequest, award_id: int) -> HttpResponse:
    award = _award(request, award_id)
    call = lambda: services.award_accept(award=award, actor=request.user)  # noqa: E731
    return _act(request, award, call, "You accepted the award. The reporting schedule is below.", "compliance")


@login_required
@require_POST
def award_decline(request: HttpRequest, award_id: int) -> HttpResponse:
    award = _award(request, award_id)

    def call(form):
        return services.award_decline(award=award, actor=request.user, **form.cleaned_data)

    return _with_form(request, award, forms.DeclineForm, call, "You declined the award.", "acceptance")


@login_required
@require_POST
def report_action(request: HttpRequest, award_id: int, report_id: int, step: str) -> HttpResponse:
    report = _report(request, award_id, report_id)
    award, back = report.award, reverse("grants-award-report", args=[award_id, report_id])
    if step == "draft":
        call = lambda form: services.report_draft(report=report, actor=request.user, **form.cleaned_data)  # noqa: E731
        return _with_form(request, award, forms.ReportTextForm, call, "The draft was saved.", "report", back)
    if step == "submit":
        call = lambda: services.report_submit(report=report, actor=request.user)  # noqa: E731
        return _act(request, award, call, "You approved the report; it is submitted to BJA.", "report", back)
    if step not in ("approve", "send-back"):
        raise Http404("Not found.")
    service = services.report_approve if step == "approve" else services.report_return
    done = "You approved the report." if step == "approve" else "The report was sent back."
    call = lambda form: service(report=report, actor=request.user, comment=form.cleaned_data["comment"])  # noqa: E731
    return _with_form(request, award, forms.CommentForm, call, done, "report", back)


@login_required
@require_POST
def modification_prepare(request: HttpRequest, award_id: int) -> HttpResponse:
    award = _award(request, award_id)
    submit = request.POST.get("submit") == "1"

    def call(form):
        return services.modification_request(award=award, actor=request.user, submit=submit, **form.service_fields())

    done = "The modification was submitted." if submit else "The modification was prepared."
    form_class = lambda data: forms.ModificationForm(data, partners=selectors.award_partners(award))  # noqa: E731
    return _with_form(request, award, form_class, call, done, "modifications")


@login_required
@require_POST
def modification_action(request: HttpRequest, award_id: int, modification_id: int, step: str) -> HttpResponse:
    award = _award(request, award_id)
    modification = Modification.objects.filter(award=award, pk=modification_id).first()
    if modification is None or step not in ("submit", "approve", "deny"):
        raise Http404("Not found.")
    if step == "submit":
        call = lambda: services.modification_submit(modification=modification, actor=request.user)  # noqa: E731
        return _act(request, award, call, "The modification was submitted.", "modifications")

    def decide(form):
        return services.modification_decide(
            modification=modification, actor=request.user, approve=step == "approve", **form.cleaned_data
        )

    done = "The modification was approved." if step == "approve" else "The modification was denied."
    return _with_form(request, award, forms.CommentForm, decide, done, "modifications")


@login_required
@require_POST
def match_report(request: HttpRequest, award_id: int) -> HttpResponse:
    award = _award(request, award_id)
    call = lambda form: services.match_report(award=award, actor=request.user, **form.cleaned_data)  # noqa: E731
    return _with_form(request, award, forms.MatchForm, call, "The match was recorded.", "match")


@login_required
@require_POST
def planning_spending(request: HttpRequest, award_id: int) -> HttpResponse:
    award = _award(request, award_id)

    def call(form):
        return services.planning_spending_record(award=award, actor=request.user, **form.cleaned_data)

    return _with_form(request, award, forms.PlanningSpendingForm, call, "Planning spending recorded.", "planning")


@require_safe
@login_required
def award_lists(request: HttpRequest) -> HttpResponse:
    """BJA: awards with their clocks. Agencies: our reporting calendar. Each as CSV and Excel too."""
    context = {
        "awards": [(award, selectors.award_compliance(award)) for award in selectors.award_list(user=request.user)],
        "calendar": list(selectors.reporting_calendar(user=request.user)[:200]),
    }
    return render_page(request, "grants/award_list.html", context)


@require_safe
@login_required
def award_export(request: HttpRequest, report: str, extension: str) -> HttpResponse:
    if report not in exports.TABLES or extension not in ("csv", "xlsx"):
        raise Http404("Not found.")
    export_record(actor=request.user, export=f"awards_{report}", format=extension)
    return exports.export_response(user=request.user, report=report, extension=extension)
