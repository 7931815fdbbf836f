"""The award's generic case page offers no milestone buttons for reports: they move through their own page, and
the generic endpoints refuse them (issue 16: 42 "Submit for approval" buttons that always answered 403)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from grants import reporting
from grants.awards.machine import REPORT_OWNED
from grants.awards.services.reports import _add
from tests.grants import award_flow
from tests.grants.test_pages import page_client
from tests.helpers import assert_constant_queries


@pytest.fixture
def accepted(award, admin):
    return award_flow.accept(award, admin)


def test_no_report_shows_a_generic_milestone_button_to_anyone(accepted, admin, bh_member):
    url = f"/cases/{accepted.case_id}/"
    reports = accepted.reports.count()
    assert reports > 30
    for user in (admin, bh_member):
        page = page_client(user).get(url).content.decode()
        assert "Submit for approval" not in page and "/submit/" not in page
        assert page.count(REPORT_OWNED) == reports, "each report says where it moves instead"


def test_a_report_waiting_for_bja_shows_the_grant_manager_no_generic_approve(accepted, admin, bh_member, grant_manager):
    report = award_flow.report_through_lead(award_flow.first_quarterly(accepted), bh_member, admin)
    assert report.milestone.status == "submitted"
    page = page_client(grant_manager).get(f"/cases/{accepted.case_id}/").content.decode()
    assert f"/milestones/{report.milestone_id}/approve/" not in page and "Request changes" not in page


def test_the_case_page_asks_who_owns_the_milestones_once(accepted, admin):
    def grow(n):
        for i in range(n):
            day = date(2040, 1, 1) + timedelta(days=i)
            _add(accepted, None, reporting.ReportingPeriod("financial", day, day, day))

    client = page_client(admin)
    assert_constant_queries(request=lambda: client.get(f"/cases/{accepted.case_id}/"), grow=grow)
