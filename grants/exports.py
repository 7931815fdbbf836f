"""CSV and XLSX exports of the grant manager's lists. Each list comes from the same selector as its page,
so an export holds exactly the rows the person may see there."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from accounts.models import User
from config.times import export_header, export_moment
from grants import selectors
from grants.models import Solicitation

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_MOMENT = "yyyy-mm-dd hh:mm"
# A cell starting with one of these is a formula to a spreadsheet program (CSV injection, OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: list[list]


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


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return "" if value is None else value


def _filename(solicitation: Solicitation, report: str, extension: str) -> str:
    return f"{solicitation.number}-{report}-{timezone.localdate():%Y%m%d}.{extension}"


def csv_response(table: Table, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.headers)
    writer.writerows([[_safe(value) for value in row] for row in table.rows])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(table: Table, filename: str) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31]
    sheet.append(table.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_safe(value) for value in row])
    # Moments are date cells in the zone their header names; dates stay plain date cells.
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, datetime):
                cell.number_format = XLSX_MOMENT
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_response(*, user: User, solicitation: Solicitation, report: str, extension: str) -> HttpResponse:
    table = TABLES[report](user=user, solicitation=solicitation)
    filename = _filename(solicitation, report, extension)
    response = csv_response(table, filename) if extension == "csv" else xlsx_response(table, filename)
    response["Cache-Control"] = "private, no-store"
    return response
