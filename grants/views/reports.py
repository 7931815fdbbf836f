"""The grant manager's reports (applications by stage, ranked list, review progress) with their exports,
and the peer reviewer's list of assigned reviews."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.security_log import export_record
from config.errors import NotAllowed
from config.refusals import refusal
from grants import exports, selectors
from grants.models import Solicitation
from grants.views.common import found, render_page


def _report_solicitation(request: HttpRequest, solicitation_id: int) -> Solicitation | HttpResponse:
    solicitation = found(lambda: selectors.solicitation_get(user=request.user, solicitation_id=solicitation_id))
    try:
        found(lambda: selectors.reports_require(user=request.user, solicitation=solicitation))
    except NotAllowed as error:
        return refusal(
            request, error, back=(reverse("grants-solicitation", args=[solicitation.pk]), solicitation.title)
        )
    return solicitation


def _report(request: HttpRequest, solicitation_id: int, template: str, build) -> HttpResponse:
    solicitation = _report_solicitation(request, solicitation_id)
    if isinstance(solicitation, HttpResponse):
        return solicitation
    return render_page(request, template, {"solicitation": solicitation, **build(solicitation)})


@require_safe
@login_required
def stages_report(request: HttpRequest, solicitation_id: int) -> HttpResponse:
    def build(solicitation):
        counts = selectors.stage_counts(user=request.user, solicitations=[solicitation])[solicitation.pk]
        return {"stage_counts": counts, "rows": selectors.stage_rows(user=request.user, solicitation=solicitation)}

    return _report(request, solicitation_id, "grants/report_stages.html", build)


@require_safe
@login_required
def ranking_report(request: HttpRequest, solicitation_id: int) -> HttpResponse:
    def build(solicitation):
        return {"ranked": selectors.ranking(solicitation=solicitation, user=request.user)}

    return _report(request, solicitation_id, "grants/report_ranking.html", build)


@require_safe
@login_required
def reviewers_report(request: HttpRequest, solicitation_id: int) -> HttpResponse:
    def build(solicitation):
        return {"progress": selectors.reviewer_progress(user=request.user, solicitation=solicitation)}

    return _report(request, solicitation_id, "grants/report_reviewers.html", build)


@require_safe
@login_required
def report_export(request: HttpRequest, solicitation_id: int, report: str, extension: str) -> HttpResponse:
    if report not in exports.TABLES or extension not in ("csv", "xlsx"):
        raise Http404("No such export.")
    solicitation = _report_solicitation(request, solicitation_id)
    if isinstance(solicitation, HttpResponse):
        return solicitation
    export_record(actor=request.user, export=f"solicitation_{report}", format=extension, solicitation=solicitation.pk)
    with timezone.override(request.user.time_zone):
        return exports.export_response(user=request.user, solicitation=solicitation, report=report, extension=extension)


@require_safe
@login_required
def my_reviews(request: HttpRequest) -> HttpResponse:
    assignments = list(selectors.assignment_list_for_reviewer(user=request.user))
    return render_page(request, "grants/my_reviews.html", {"assignments": assignments})
