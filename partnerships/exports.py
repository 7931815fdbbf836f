"""The annual TA report and the partnership list as CSV and XLSX files."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from config.exports import Table
from partnerships.choices import ResponseModel
from partnerships.selectors.ta_report import AnnualReport, report_table
from workflow.machines import registry

# A cell starting with one of these is a formula to a spreadsheet: an organization named "=HYPERLINK(…)"
# must stay text (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def report_csv(report: AnnualReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in report_table(report):
        writer.writerow([_cell(value) for value in line])
    return buffer.getvalue()


def report_xlsx(report: AnnualReport) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"TA {report.year}"
    lines = report_table(report)
    for line in lines:
        sheet.append([None if value is None else _cell(value) for value in line])
    bold = Font(bold=True)
    for cell in (*sheet[1], *sheet[len(lines)]):
        cell.font = bold
    sheet.column_dimensions["A"].width = 40
    for letter in "BCDEFG":
        sheet.column_dimensions[letter].width = 18
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def partnership_table(partnerships) -> Table:
    """The partnership list as its page shows it: one row per partnership the person may see."""
    labels = dict(ResponseModel.choices)
    rows = [
        [
            partnership.case.title,
            partnership.case.organization.name,
            registry.get(partnership.case.kind).stage(partnership.case.stage).label,
            "; ".join(f"{m.organization.name} ({m.get_role_display().lower()})" for m in partnership.members.all()),
            ", ".join(labels.get(value, value) for value in partnership.response_models or []),
            partnership.jurisdiction,
            partnership.population_served,
            timezone.localdate(partnership.case.opened_at),  # in the reader's zone (UserTimeZoneMiddleware)
        ]
        for partnership in partnerships
    ]
    headers = ["Partnership", "Lead agency", "Stage", "Members", "Response models", "Jurisdiction", "Population served"]
    return Table(title="Partnerships", headers=[*headers, "Opened"], rows=rows)
