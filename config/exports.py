"""CSV and Excel (XLSX) files of a list, for every app: a `Table` in, a download out.

Each app builds its table from the same selector as its page, so a file holds exactly the rows the person
may see there.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_MOMENT = "yyyy-mm-dd hh:mm"
# A cell starting with one of these is a formula to a spreadsheet program (CSV injection, OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: list[list]


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return "" if value is None else value


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
    # Moments are date cells in the zone their header names (config.times.export_moment); dates stay date cells.
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


def table_response(table: Table, *, name: str, extension: str) -> HttpResponse:
    """The table as `name.csv` or `name.xlsx`, never cached (it holds what this person may see)."""
    filename = f"{name}.{extension}"
    response = csv_response(table, filename) if extension == "csv" else xlsx_response(table, filename)
    response["Cache-Control"] = "private, no-store"
    return response
