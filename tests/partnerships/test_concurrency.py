"""Simultaneous clicks on PostgreSQL: one match, one signature, one draft per member, one gap milestone."""

from __future__ import annotations

from collections import Counter

import pytest

from config.errors import Conflict
from partnerships.models import AgreementParty, Assessment
from partnerships.services.agreements import agreement_create, agreement_sign
from partnerships.services.assessments import assessment_gap_plan, assessment_start
from partnerships.services.ta import ta_request_match
from tests.factories import organization_today
from tests.workflow.test_concurrency import race
from workflow.models import Event, Milestone
from workflow.services import case_transition

from .steps import submit_assessment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 8


def _outcomes(results) -> Counter:
    return Counter("won" if not isinstance(result, Exception) else type(result).__name__ for result in results)


def test_one_of_many_coordinators_matches_the_request(ta_request, coordinator, grant_manager, site_org):
    case_transition(case=ta_request.case, name="acknowledge", actor=coordinator)
    actors = [coordinator, grant_manager] * (THREADS // 2)
    results = race(lambda: ta_request_match(ta_request=ta_request, site=site_org, actor=actors.pop()), threads=THREADS)
    assert _outcomes(results) == {"won": 1, "Conflict": THREADS - 1}
    assert Event.objects.filter(case=ta_request.case, verb="transition", data__name="match").count() == 1


def test_a_party_signs_once(partnership, admin, organization, bh_org):
    mou = agreement_create(
        partnership=partnership,
        actor=admin,
        kind="mou",
        title="MOU",
        parties=[organization, bh_org],
        effective_date=organization_today(),
    )
    results = race(lambda: agreement_sign(agreement=mou, organization=organization, actor=admin), threads=THREADS)
    assert _outcomes(results) == {"won": 1, "Conflict": THREADS - 1}
    assert AgreementParty.objects.filter(agreement=mou, signed_on__isnull=False).count() == 1


def test_one_draft_per_member(partnership, admin, organization):
    results = race(
        lambda: assessment_start(partnership=partnership, organization=organization, actor=admin), threads=THREADS
    )
    assert _outcomes(results) == {"won": 1, "Conflict": THREADS - 1}
    assert Assessment.objects.filter(partnership=partnership, status="draft").count() == 1


def test_a_gap_becomes_one_milestone(partnership, admin, organization):
    gap = submit_assessment(partnership, organization, admin, item_1="no").answers.get(item__order=1)
    results = race(lambda: assessment_gap_plan(answer=gap, actor=admin), threads=THREADS)
    assert _outcomes(results) == {"won": 1, "Conflict": THREADS - 1}
    assert Milestone.objects.filter(case=partnership.case).count() == 1
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, Exception))
