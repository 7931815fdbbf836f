"""The annual TA report: counts per site and in total, medians, and the CSV and XLSX files."""

from __future__ import annotations

import csv
import io
import zoneinfo
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from openpyxl import load_workbook

from accounts.models import Role
from partnerships.exports import report_csv, report_xlsx
from partnerships.selectors.ta import ta_user_coordinates
from partnerships.selectors.ta_report import ta_annual_report
from partnerships.services.ta import ta_delivery_record, ta_request_create, ta_request_match
from tests import factories
from workflow.services import case_transition

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def _when(*parts):
    return time_machine.travel(datetime(*parts, tzinfo=CHICAGO), tick=False)


@pytest.fixture
def tucson(db):
    return factories.OrganizationFactory(name="Tucson Police Department", is_learning_site=True)


@pytest.fixture
def year_of_requests(organization, member, coordinator, site_org, tucson, grant_manager):
    def request(filed, acknowledged=None, matched=None, site=None, deliveries=()):
        with _when(*filed):
            ta = ta_request_create(
                actor=member,
                organization=organization,
                topic="cit_training",
                preferred_delivery="training",
                description="Help",
            )
        if acknowledged:
            with _when(*acknowledged):
                case_transition(case=ta.case, name="acknowledge", actor=grant_manager)
        if matched:
            with _when(*matched):
                ta_request_match(ta_request=ta, site=site, actor=grant_manager)
        for day, kind, attendees in deliveries:
            with _when(day.year, day.month, day.day, 18, 0):
                ta_delivery_record(
                    ta_request=ta,
                    actor=grant_manager,
                    delivered_on=day,
                    delivery_type=kind,
                    hours=Decimal("3"),
                    attendees=attendees,
                )
        return ta

    # Monday 9:00, acknowledged Tuesday 9:00 (24 business hours), matched 7 days after filing.
    request(
        (2026, 3, 2, 9),
        (2026, 3, 3, 9),
        (2026, 3, 9, 9),
        site_org,
        [(date(2026, 3, 20), "training", 30), (date(2026, 4, 2), "site_visit", None)],
    )
    # Friday 12:00, acknowledged Monday 12:00 (24 business hours: the weekend does not count), matched in 3 days.
    request((2026, 3, 6, 12), (2026, 3, 9, 12), (2026, 3, 9, 12), site_org, [(date(2026, 5, 1), "training", 12)])
    # Wednesday, acknowledged 48 business hours later over a normal week, matched to Tucson in 14 days.
    request((2026, 4, 1, 9), (2026, 4, 3, 9), (2026, 4, 15, 9), tucson, [(date(2026, 6, 1), "webinar", 80)])
    # Received, never acknowledged.
    request((2026, 7, 1, 9))
    # Last year's request, delivered this year: counts as a delivery this year, a request last year.
    request((2025, 12, 1, 9), (2025, 12, 2, 9), (2025, 12, 3, 9), tucson, [(date(2026, 1, 15), "site_visit", None)])


def test_counts_and_medians_per_site_and_in_total(year_of_requests, grant_manager, site_org, tucson):
    report = ta_annual_report(user=grant_manager, year=2026)
    rows = {row.site: row for row in report.rows}
    assert list(rows) == [site_org.name, tucson.name, "Not matched"]

    sheriff = rows[site_org.name]
    assert (sheriff.requests_received, sheriff.site_visits, sheriff.trainings, sheriff.attendees_trained) == (
        2,
        1,
        2,
        42,
    )
    assert sheriff.median_hours_to_acknowledge == 24.0
    assert sheriff.median_days_to_match == 5.0  # 7 and 3 days
    assert (rows[tucson.name].requests_received, rows[tucson.name].site_visits, rows[tucson.name].trainings) == (
        1,
        1,
        0,
    )
    assert rows["Not matched"].requests_received == 1

    total = report.total
    assert (total.requests_received, total.site_visits, total.trainings) == (4, 2, 2)
    assert total.median_hours_to_acknowledge == 24.0  # 24, 24, 48
    assert total.median_days_to_match == 7.0  # 7, 3, 14
    assert ta_annual_report(user=grant_manager, year=2025).total.requests_received == 1


def test_a_site_sees_its_share_and_strangers_see_nothing(year_of_requests, coordinator, outsider, member):
    # "Any site" requests were offered to both sites, so the sheriff's office sees all four of 2026.
    assert ta_annual_report(user=coordinator, year=2026).total.requests_received == 4
    assert ta_annual_report(user=outsider, year=2026).total.requests_received == 0
    assert ta_user_coordinates(user=coordinator) and not ta_user_coordinates(user=member)
    assert not ta_user_coordinates(user=outsider)


def test_csv_and_xlsx_hold_the_same_table(year_of_requests, grant_manager):
    report = ta_annual_report(user=grant_manager, year=2026)
    lines = list(csv.reader(io.StringIO(report_csv(report))))
    assert lines[0][:4] == ["Learning Site", "Requests received", "Site visits", "Trainings"]
    assert lines[-1][:4] == ["All Learning Sites", "4", "2", "2"]
    sheet = load_workbook(io.BytesIO(report_xlsx(report))).active
    assert [cell.value for cell in sheet[len(lines)]][:4] == ["All Learning Sites", 4, 2, 2]
    assert sheet.max_row == len(lines)


def test_names_that_look_like_formulas_stay_text(organization, member, grant_manager):
    evil = factories.OrganizationFactory(name='=HYPERLINK("http://x")', is_learning_site=True)
    factories.member_of(evil, Role.ADMIN)
    ta = ta_request_create(
        actor=member, organization=organization, topic="other", preferred_delivery="consultation", description="x"
    )
    case_transition(case=ta.case, name="acknowledge", actor=grant_manager)
    ta_request_match(ta_request=ta, site=evil, actor=grant_manager)
    report = ta_annual_report(user=grant_manager, year=ta.case.opened_at.year)
    assert "'=HYPERLINK" in report_csv(report)
    sheet = load_workbook(io.BytesIO(report_xlsx(report))).active
    assert sheet["A2"].value.startswith("'=") and sheet["A2"].data_type == "s"
