"""The stage machines are sound, the demo data loads once, and the dashboard shows each role its part."""

from __future__ import annotations

from django.test import RequestFactory

from accounts.demo import DEMO_DOMAIN, demo_load
from accounts.models import User
from partnerships import demo
from partnerships.dashboard import assessments_waiting, section
from partnerships.machines import PARTNERSHIP_MACHINE, TA_REQUEST_MACHINE
from partnerships.models import Agreement, Assessment, LearningSiteProfile, Partnership, TARequest
from partnerships.selectors.partnerships import agreements_expiring, partnership_has_mou_in_force
from tests.factories import organization_today
from workflow.machines import registry

from .steps import submit_assessment


def test_machines_are_registered_and_sound(db):
    for machine in (PARTNERSHIP_MACHINE, TA_REQUEST_MACHINE):
        assert registry.get(machine.kind) is machine
        assert machine.problems() == []


def test_demo_loads_once_through_the_services(db):
    demo_load()
    assert demo.load() > 0
    counts = [Partnership.objects.count(), TARequest.objects.count(), Agreement.objects.count()]
    assert demo.load() == 0
    assert [Partnership.objects.count(), TARequest.objects.count(), Agreement.objects.count()] == counts == [1, 2, 2]
    partnership = Partnership.objects.get()
    assert partnership.case.stage == "planning" and partnership_has_mou_in_force(partnership=partnership)
    assert Assessment.objects.get().answers.filter(milestone__isnull=False).count() == 1
    profiles = LearningSiteProfile.objects.select_related("organization")
    assert profiles.count() == 10, "every one of BJA's ten Learning Sites says what it offers"
    assert profiles.get(updated_by__email__startswith="sheriff.ta@").organization.name == (
        "Madison County Sheriff's Office"
    )
    assert list(agreements_expiring(today=organization_today(), within_days=90)) == [
        Agreement.objects.get(kind="information_sharing")
    ]
    assert {ta.case.stage for ta in TARequest.objects.all()} == {"delivered", "received"}


def _section(user):
    request = RequestFactory().get("/")
    request.user = user
    return section(request)


def test_partners_see_their_partnerships_and_the_assessments_they_owe(partnership, bh_admin, bh_org, outsider):
    shown = _section(bh_admin)["context"]
    assert shown["partnerships"] == [partnership]
    assert [member.organization for member in shown["waiting"]] == [bh_org]
    submit_assessment(partnership, bh_org, bh_admin)
    assert assessments_waiting(user=bh_admin) == []
    assert _section(outsider) is None


def test_coordinators_see_the_ta_queue(ta_request, coordinator, member):
    assert _section(coordinator)["context"]["queue"].open == [ta_request]
    shown = _section(member)["context"]
    assert shown["queue"] is None and shown["own_requests"] == [ta_request]


def test_demo_coordinator_sees_the_demo_queue(db):
    demo_load()
    demo.load()
    coordinator = User.objects.get(email=f"sheriff.ta@{DEMO_DOMAIN}")
    assert [ta.case.stage for ta in _section(coordinator)["context"]["queue"].open] == ["received"]
