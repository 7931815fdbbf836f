"""Technical assistance pages: requests and the coordinators' queue, a request's page, Learning Sites, the report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Membership, Organization, OrganizationKind
from accounts.security_log import export_record
from config.errors import NotAllowed, ServiceError
from config.forms import apply_error
from config.refusals import REFUSALS, refusal
from partnerships import charts, exports, forms, rules
from partnerships.models import TARequest
from partnerships.pages import without_side_stages
from partnerships.rules import STAFF_ROLES
from partnerships.selectors.ta import learning_site_list, ta_queue, ta_request_get, ta_request_list, ta_user_coordinates
from partnerships.selectors.ta_report import COLUMNS, ta_annual_report
from partnerships.services import learning_sites, ta
from partnerships.views import run
from workflow.views import case_page_context

# Transitions with a form of their own on the request page (they need a site, a date, a delivery record).
WITH_FORMS = {"match", "schedule", "deliver"}
REPORT_MEASURES = [
    ("requests_received", "Requests received"),
    ("site_visits", "Site visits"),
    ("trainings", "Trainings"),
]


def _requesters(user):
    return Organization.objects.filter(
        id__in=Membership.objects.active().filter(user=user, role__in=STAFF_ROLES).values("organization_id")
    ).exclude(kind=OrganizationKind.FEDERAL)


@require_safe
@login_required
def ta_list(request: HttpRequest) -> HttpResponse:
    coordinates = ta_user_coordinates(user=request.user)
    mine = Membership.objects.active().filter(user=request.user).values("organization_id")
    context = {
        "queue": ta_queue(user=request.user) if coordinates else None,
        "own_requests": list(ta_request_list(user=request.user).filter(case__organization__in=mine)),
        "can_request": _requesters(request.user).exists(),
        "coordinates": coordinates,
    }
    return render(request, "partnerships/ta_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def ta_create(request: HttpRequest) -> HttpResponse:
    requesters = _requesters(request.user)
    if not requesters.exists():
        return refusal(request, NotAllowed("Only staff (admins and members) of an agency can request assistance."))
    # "Request TA from this site" on the Learning Sites page asks for that site.
    initial = {"preferred_site": request.GET.get("site")} if request.GET.get("site", "").isdigit() else {}
    form = forms.TARequestForm(request.POST or None, requesters=requesters, initial=initial)
    page = lambda status: render(request, "partnerships/ta_form.html", {"form": form}, status=status)  # noqa: E731
    if request.method == "POST" and form.is_valid():
        return run(
            request,
            case=None,
            form=form,
            action=lambda: ta.ta_request_create(actor=request.user, **form.cleaned_data),
            success=lambda filed: (
                f"Your request was received. It will be acknowledged by "
                f"{timezone.localtime(filed.acknowledge_due_at):%a %b %-d, %-I:%M %p}."
            ),
            then=lambda filed: redirect("ta-detail", filed.pk),
            on_error=lambda: page(400),
        )
    return page(400 if request.method == "POST" else 200)


def _ta_request(request: HttpRequest, ta_request_id: int) -> TARequest:
    try:
        return ta_request_get(user=request.user, ta_request_id=ta_request_id)
    except TARequest.DoesNotExist:
        raise Http404("Request not found.") from None


def _detail(request: HttpRequest, ta_request: TARequest, status: int = 200, **bound) -> HttpResponse:
    case, user = ta_request.case, request.user
    context = case_page_context(request=request, case=case)
    without_side_stages(context, set())
    machine = case.machine
    # Only what this person may do: the rules (coordinator, matched site, requester) are checked here too.
    context["transitions"] = [
        t
        for t in context["transitions"]
        if t.name not in WITH_FORMS and all(rule.check(user, case) for rule in machine.transition(t.name).rules)
    ]
    coordinator = rules.is_ta_coordinator(user, case)
    site_staff = rules.is_matched_site_staff(user, case)
    context.update(
        ta_request=ta_request,
        deliveries=list(ta_request.deliveries.all()),
        match_form=bound.get("match_form") or forms.MatchForm(initial={"site": ta_request.preferred_site}),
        schedule_form=bound.get("schedule_form") or forms.ScheduleForm(),
        delivery_form=bound.get("delivery_form")
        or forms.DeliveryForm(
            initial={"delivered_on": timezone.localdate(), "delivery_type": ta_request.preferred_delivery}
        ),
        can_match=coordinator and case.stage == "acknowledged",
        can_schedule=site_staff and case.stage == "matched",
        can_deliver=site_staff and case.stage in ("matched", "scheduled", "delivered"),
    )
    return render(request, "partnerships/ta_detail.html", context, status=status)


@require_safe
@login_required
def ta_detail(request: HttpRequest, ta_request_id: int) -> HttpResponse:
    return _detail(request, _ta_request(request, ta_request_id))


def _ta_action(request, ta_request_id: int, *, form_class, name: str, service, success):
    ta_request = _ta_request(request, ta_request_id)
    form = form_class(request.POST)
    if not form.is_valid():
        return _detail(request, ta_request, status=400, **{name: form})
    return run(
        request,
        case=ta_request.case,
        form=form,
        action=lambda: service(ta_request=ta_request, actor=request.user, **form.cleaned_data),
        success=success,
        then=lambda _: redirect("ta-detail", ta_request.pk),
        on_error=lambda: _detail(request, _ta_request(request, ta_request_id), status=400, **{name: form}),
    )


@require_POST
@login_required
def ta_match(request: HttpRequest, ta_request_id: int) -> HttpResponse:
    return _ta_action(
        request,
        ta_request_id,
        form_class=forms.MatchForm,
        name="match_form",
        service=ta.ta_request_match,
        success=lambda matched: f"Matched with {matched.matched_site}.",
    )


@require_POST
@login_required
def ta_schedule(request: HttpRequest, ta_request_id: int) -> HttpResponse:
    return _ta_action(
        request,
        ta_request_id,
        form_class=forms.ScheduleForm,
        name="schedule_form",
        service=ta.ta_request_schedule,
        success=lambda scheduled: f"Scheduled for {scheduled.scheduled_for:%b %-d, %Y}.",
    )


@require_POST
@login_required
def ta_delivery(request: HttpRequest, ta_request_id: int) -> HttpResponse:
    return _ta_action(
        request,
        ta_request_id,
        form_class=forms.DeliveryForm,
        name="delivery_form",
        service=ta.ta_delivery_record,
        success=lambda delivery: (
            f"{delivery.get_delivery_type_display()} on {delivery.delivered_on:%b %-d, %Y} was recorded."
        ),
    )


@require_safe
@login_required
def learning_site_directory(request: HttpRequest) -> HttpResponse:
    mine = set(
        Membership.objects.active()
        .filter(user=request.user, role__in=STAFF_ROLES)
        .values_list("organization_id", flat=True)
    )
    # "Request TA from this site" only for those who may file a request (a dead link answers 403).
    context = {"sites": learning_site_list(), "mine": mine, "can_request": _requesters(request.user).exists()}
    return render(request, "partnerships/learning_sites.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def learning_site_profile(request: HttpRequest, organization_id: int) -> HttpResponse:
    """A site's staff keep its profile; anyone else does not find this page (404), its viewers may not save (403)."""
    site = Organization.objects.visible_to(request.user).filter(pk=organization_id, is_learning_site=True).first()
    if site is None:
        raise Http404("Learning Site not found.")
    profile = getattr(site, "learning_site_profile", None)
    initial = {"capacity_per_quarter": 0}
    if profile is not None:
        initial = {field: getattr(profile, field) for field in forms.LearningSiteProfileForm.base_fields}
    form = forms.LearningSiteProfileForm(request.POST or None, initial=initial)
    context = {"site": site, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            learning_sites.learning_site_profile_update(organization=site, actor=request.user, **form.cleaned_data)
        except REFUSALS as error:
            return refusal(request, error, back=(reverse("learning-sites"), "the Learning Sites"))
        except ServiceError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"The profile of {site.name} was saved.")
            return redirect("learning-sites")
    status = 400 if request.method == "POST" else 200
    return render(request, "partnerships/learning_site_form.html", context, status=status)


def _report(request: HttpRequest):
    """The report for the year asked (this year by default); 404 for anyone but Learning Site staff and BJA."""
    if not ta_user_coordinates(user=request.user):
        raise Http404("Not found.")
    asked = forms.YearForm(request.GET or None)
    year = (asked.cleaned_data.get("year") if asked.is_valid() else None) or timezone.localdate().year
    form = asked if asked.errors else forms.YearForm(initial={"year": year})
    return form, ta_annual_report(user=request.user, year=year)


@require_safe
@login_required
def ta_report(request: HttpRequest) -> HttpResponse:
    form, report = _report(request)
    chart = charts.grouped_bar_chart(report.rows, REPORT_MEASURES) if report.rows else None
    context = {"form": form, "report": report, "chart": chart, "columns": COLUMNS}
    return render(request, "partnerships/ta_report.html", context, status=200 if not form.errors else 400)


@require_safe
@login_required
def ta_report_export(request: HttpRequest, extension: str) -> HttpResponse:
    _, report = _report(request)
    export_record(actor=request.user, export="ta_annual_report", format=extension, year=report.year)
    if extension == "csv":
        response = HttpResponse(exports.report_csv(report), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.report_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="ta-report-{report.year}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response
