"""The demo: an open FY Connect and Protect solicitation and the police department's draft with its partner."""

from datetime import date
from decimal import Decimal

import time_machine
from django.core.management import call_command

from grants import selectors
from grants.demo import _deadlines
from grants.models import Application, Solicitation


def test_demo_is_realistic_and_idempotent(db, settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo")
    call_command("load_demo")
    solicitation = Solicitation.objects.get()
    assert solicitation.program == "connect_and_protect" and solicitation.is_published
    category = solicitation.categories.get(code="1")
    assert (category.award_ceiling, category.period_months, category.match_schedule) == (
        Decimal("550000.00"),
        36,
        [20, 20, 40],
    )
    assert sum(solicitation.criteria.values_list("weight", flat=True)) == 100
    assert (solicitation.justgrants_deadline - solicitation.grants_gov_deadline).days == 6  # 11:59 PM, then 8:59 PM.
    application = Application.objects.get()
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


def test_demo_deadlines_are_a_week_apart_in_late_april_eastern():
    with time_machine.travel("2026-11-28 12:00Z"):
        grants_gov, justgrants = _deadlines(date(2026, 11, 28))
    assert grants_gov.isoformat() == "2027-04-22T23:59:59-04:00"
    assert justgrants.isoformat() == "2027-04-29T20:59:59-04:00"
    assert _deadlines(date(2027, 4, 1))[0].date() == date(2028, 4, 20)  # Too close: next year's round.
