"""CSV and XLSX exports of the award lists, built from the same selectors as the pages (so, through the
access filter)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from accounts.models import User
from config.exports import Table, csv_response, xlsx_response
from grants.awards import selectors


def compliance_table(*, user: User) -> Table:
    rows = []
    for award in selectors.award_list(user=user):
        status = selectors.award_compliance(award)
        next_report = status.next_report
        rows.append(
            [
                award.number,
                award.case.title,
                award.case.organization.name,
                award.case.stage_label,
                award.amount,
                award.acceptance_due if status.acceptance_open else "",
                status.acceptance_days_left if status.acceptance_open else "",
                "yes" if status.suspended else "no",
                "yes" if status.locked else "no",
                len(status.overdue),
                next_report.milestone.title if next_report else "",
                next_report.due_date if next_report else "",
                award.end,
                award.closeout_due,
                ", ".join(status.flags),
            ]
        )
    headers = ["Award", "Title", "Lead", "Stage", "Amount", "Acceptance due", "Days to accept", "Suspended"]
    headers += ["Locked", "Overdue reports", "Next report", "Next due", "End", "Closeout due", "Flags"]
    return Table("Awards and compliance", headers, rows)


def calendar_table(*, user: User) -> Table:
    rows = [
        [report.award.number, report.award.case.title, report.milestone.title, report.due_date,
         report.milestone.get_status_display(), "yes" if report.drafted_at else "no"]
        for report in selectors.reporting_calendar(user=user)
    ]  # fmt: skip
    return Table("Our reporting calendar", ["Award", "Title", "Report", "Due", "Status", "Drafted"], rows)


TABLES = {"awards": compliance_table, "calendar": calendar_table}


def export_response(*, user: User, report: str, extension: str) -> HttpResponse:
    table = TABLES[report](user=user)
    filename = f"{report}-{timezone.localdate():%Y-%m-%d}.{extension}"
    response = csv_response(table, filename) if extension == "csv" else xlsx_response(table, filename)
    response["Cache-Control"] = "private, no-store"
    return response
