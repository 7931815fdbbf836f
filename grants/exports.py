"""CSV and XLSX exports of the grant manager's lists. Each list comes from the same selector as its page,
so an export holds exactly the rows the person may see there."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django.utils import timezone

from accounts.models import User
from config.exports import Table, csv_response, xlsx_response
from config.times import export_header, export_moment
from grants import selectors
from grants.models import Solicitation


def applications_table(*, user: User, solicitation: Solicitation) -> Table:
    rows = [
        [
            application.case.title,
            application.case.organization.name,
            application.case.stage_label,
            f"{application.category.code}",
            application.amount_requested,
            application.project_start,
            application.project_end,
            export_moment(application.grants_gov_submitted_at),
            export_moment(application.submitted_at),
        ]
        for application in selectors.stage_rows(user=user, solicitation=solicitation)
    ]
    headers = ["Application", "Lead applicant", "Stage", "Category", "Amount requested", "Start", "End"]
    moments = [export_header("Grants.gov step"), export_header("JustGrants submission")]
    return Table("Applications by stage", [*headers, *moments], rows)


def ranking_table(*, user: User, solicitation: Solicitation) -> Table:
    rows = [
        [
            row.rank,
            row.application.case.title,
            row.application.case.organization.name,
            row.application.case.stage_label,
            row.application.amount_requested,
            row.average,
            row.spread,
            row.submitted,
            row.expected,
        ]
        for row in selectors.ranking(solicitation=solicitation, user=user)
    ]
    headers = ["Rank", "Application", "Lead applicant", "Stage", "Amount requested", "Average score (of 100)"]
    return Table("Ranked applications", [*headers, "Spread", "Reviews submitted", "Reviews expected"], rows)


def reviewers_table(*, user: User, solicitation: Solicitation) -> Table:
    rows = [
        [r.reviewer, r.email, r.assigned, r.declared, r.submitted, r.recused, r.outstanding, r.overdue, r.next_due]
        for r in selectors.reviewer_progress(user=user, solicitation=solicitation)
    ]
    headers = ["Reviewer", "Email", "Assigned", "Declared", "Submitted", "Recused", "Outstanding", "Overdue"]
    return Table("Review progress", [*headers, "Next due"], rows)


TABLES: dict[str, Callable[..., Table]] = {
    "applications": applications_table,
    "ranking": ranking_table,
    "reviewers": reviewers_table,
}


def _filename(solicitation: Solicitation, report: str, extension: str) -> str:
    return f"{solicitation.number}-{report}-{timezone.localdate():%Y%m%d}.{extension}"


def export_response(*, user: User, solicitation: Solicitation, report: str, extension: str) -> HttpResponse:
    table = TABLES[report](user=user, solicitation=solicitation)
    filename = _filename(solicitation, report, extension)
    response = csv_response(table, filename) if extension == "csv" else xlsx_response(table, filename)
    response["Cache-Control"] = "private, no-store"
    return response
