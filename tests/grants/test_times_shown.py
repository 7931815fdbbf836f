"""Grant pages and exports: every time in the reader's zone with the zone named; export times are date cells."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import openpyxl
from django.utils import timezone

from grants import services
from tests.grants import flow
from tests.grants.test_pages import page_client
from tests.helpers import times_without_zone


def _in_zone(user, zone: str):
    user.time_zone = zone
    user.save(update_fields=["time_zone"])
    return page_client(user)


def test_sign_offs_documents_and_submission_times_name_their_zone(application, admin, bh_admin, grant_manager):
    flow.prepare(application, admin, bh_admin)
    signed = _in_zone(bh_admin, "America/Los_Angeles").get(f"/grants/applications/{application.id}/").content.decode()
    assert "Signed this version" in signed and re.search(r"\d [AP]M P[SD]T</time>\)", signed)
    assert times_without_zone(signed) == []

    services.application_submit(application=application, actor=admin)
    client = _in_zone(grant_manager, "America/Chicago")
    for url in (
        f"/grants/applications/{application.id}/",
        f"/grants/solicitations/{application.solicitation_id}/stages/",
    ):
        html = client.get(url).content.decode()
        assert times_without_zone(html) == [], url


def test_export_timestamps_are_date_cells_in_the_readers_zone_named_in_the_header(submitted, grant_manager):
    client = _in_zone(grant_manager, "America/Los_Angeles")
    base = f"/grants/solicitations/{submitted.solicitation_id}/export/applications"
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(base + ".xlsx").content)).active
    header = [cell.value for cell in sheet[1]]
    column = header.index("JustGrants submission (America/Los_Angeles)")
    cell = sheet.cell(row=2, column=column + 1)
    expected = timezone.localtime(submitted.submitted_at, timezone.zoneinfo.ZoneInfo("America/Los_Angeles"))
    assert isinstance(cell.value, datetime) and cell.is_date
    assert cell.value == expected.replace(tzinfo=None, microsecond=0)

    rows = list(csv.reader(io.StringIO(client.get(base + ".csv").content.decode())))
    assert rows[0][column] == "JustGrants submission (America/Los_Angeles)"
    assert rows[1][column] == expected.strftime("%Y-%m-%d %H:%M:%S")
