"""Double clicks and simultaneous colleagues: each grants step happens once (PostgreSQL row locks)."""

from collections import Counter

import pytest

from config.errors import Conflict
from grants import services
from grants.models import ApplicationSignoff, ReviewAssignment
from tests.grants import flow
from tests.workflow.test_concurrency import race
from workflow.models import CaseUserPermission, Event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _outcomes(results) -> Counter:
    return Counter("ok" if not isinstance(r, BaseException) else getattr(r, "code", type(r).__name__) for r in results)


def test_one_submission_of_many_simultaneous_ones(application, admin, bh_admin):
    flow.prepare(application, admin, bh_admin)
    results = race(lambda: services.application_submit(application=application, actor=admin), threads=8)
    assert _outcomes(results) == Counter({"ok": 1, "wrong_stage": 7})
    assert Event.objects.filter(case=application.case, verb="transition").count() == 1
    assert flow.fresh(application).submission_round == 1


def test_a_double_clicked_signature_counts_once(application, admin, bh_admin):
    flow.fill(application, admin)
    flow.attach_required(application, admin)
    results = race(lambda: services.application_sign(application=application, actor=bh_admin), threads=6)
    assert _outcomes(results) == Counter({"ok": 1, "already_signed": 5})
    assert ApplicationSignoff.objects.count() == 1
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, BaseException))


def test_a_reviewer_is_assigned_once(in_peer_review, grant_manager, reviewer):
    results = race(
        lambda: services.reviewer_assign(application=in_peer_review, reviewer=reviewer, actor=grant_manager),
        threads=6,
    )
    assert _outcomes(results) == Counter({"ok": 1, "duplicate": 5})
    assert ReviewAssignment.objects.count() == 1 and CaseUserPermission.objects.count() == 1
