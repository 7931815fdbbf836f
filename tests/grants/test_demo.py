"""The demo: an open FY Connect and Protect solicitation and the police department's draft with its partner, and
last round's award in implementation with a report at each step, one overdue, and a modification for BJA."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from grants import reporting, selectors
from grants.demo import _deadlines
from grants.demo_award import TITLE, award_start
from grants.models import Application, Award, Solicitation
from workflow.models import Case


@pytest.fixture(scope="module")
def demo(module_db):
    """The demo loaded twice (the second load must add nothing), once for the module's tests that read it."""
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
        call_command("load_demo", stdout=io.StringIO())


def test_demo_is_realistic_and_idempotent(db, demo):
    solicitation = Solicitation.objects.get(program="connect_and_protect")
    assert solicitation.is_published
    category = solicitation.categories.get(code="1")
    assert (category.award_ceiling, category.period_months, category.match_schedule) == (
        Decimal("550000.00"),
        36,
        [20, 20, 40],
    )
    assert sum(solicitation.criteria.values_list("weight", flat=True)) == 100
    assert (solicitation.justgrants_deadline - solicitation.grants_gov_deadline).days == 6  # 11:59 PM, then 8:59 PM.
    application = Application.objects.get(solicitation=solicitation)
    assert application.case.organization.name == "Springfield Police Department"
    assert application.case.stage == "draft"
    readiness = selectors.application_readiness(application=application)
    missing = [item.label for item in readiness.items if not item.done]
    assert missing == [
        "MOU or letter of intent",
        "Letters of support",
        "Grants.gov step (SF-424 and SF-LLL) recorded",
        "Every applicant organization's admin signed this version",
    ]


def _status(report) -> str:
    if report.milestone.status == "open":
        return "drafted" if report.drafted_at else "not started"
    return report.milestone.status


def test_demo_has_an_award_in_implementation_with_a_report_at_each_step(db, demo):
    award = Award.objects.select_related("case", "application__solicitation").get()
    assert (award.case.title, award.case.stage) == (TITLE, "implementation")
    assert award.accepted_at.date() < award.start < award.end
    assert award.application.solicitation.justgrants_deadline.date() < award.awarded_on, "last round's, closed"
    today = reporting.local_today(timezone.now(), award.time_zone)
    reports = list(award.reports.select_related("milestone").order_by("due_date", "kind"))
    past = [report for report in reports if report.due_date < today]
    statuses = {_status(report) for report in reports}
    assert {"not started", "drafted", "submitted", "changes_requested", "approved"} <= statuses
    assert [_status(report) for report in past].count("not started") == 1, "one report is overdue"
    drafters = {report.drafted_by.email.split("@")[0] for report in reports if _status(report) == "drafted"}
    assert drafters == {"police.member", "bh.member"}, "one drafted by the lead's staff, one by the partner"
    assert list(award.modifications.values_list("status", flat=True)) == ["pending"]


def test_no_two_demo_cases_have_nearly_the_same_name(db, demo):
    # An award carries its application's title on purpose: the pair is one grant.
    titles = Case.objects.exclude(kind="award").values_list("title", flat=True)
    keys = [re.sub(r"[^a-z0-9]", "", title.lower()) for title in titles]
    assert len(set(keys)) == len(keys), sorted(titles)


def test_the_award_starts_five_quarters_back_so_four_quarters_are_always_due():
    assert award_start(date(2026, 12, 2)) == date(2025, 7, 1)
    assert award_start(date(2026, 1, 1)) == date(2024, 10, 1)
    assert award_start(date(2026, 3, 31)) == date(2024, 10, 1)


def test_demo_deadlines_are_a_week_apart_in_late_april_eastern():
    with time_machine.travel("2026-11-28 12:00Z"):
        grants_gov, justgrants = _deadlines(date(2026, 11, 28))
    assert grants_gov.isoformat() == "2027-04-22T23:59:59-04:00"
    assert justgrants.isoformat() == "2027-04-29T20:59:59-04:00"
    assert _deadlines(date(2027, 4, 1))[0].date() == date(2028, 4, 20)  # Too close: next year's round.
