"""The annual TA report as CSV and XLSX files."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from partnerships.selectors.ta_report import AnnualReport, report_table

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
