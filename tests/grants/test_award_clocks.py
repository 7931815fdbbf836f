"""What time does to an award: closeout opens, an offer lapses, a closeout without its reports is closed."""

from datetime import timedelta

import pytest

from config.errors import Conflict, ServiceError
from grants.awards import services
from grants.models import Award
from tests.grants import award_flow
from tests.grants.test_awards import at
from tests.helpers import api_client
from workflow.clocks import clocks_sweep
from workflow.models import Event
from workflow.services import case_transition
from workflow.templatetags.workflow_tags import event_sentence


def last_transition(award: Award) -> Event:
    return Event.objects.filter(case=award.case, verb="transition").latest("id")


def sweep_on(day) -> None:
    with at(day):
        clocks_sweep()


def test_closeout_opens_the_day_after_the_end_as_the_system(award, admin):
    award = award_flow.accept(award, admin)
    sweep_on(award.end)
    assert award_flow.fresh(award).case.stage == "planning"
    sweep_on(award.end + timedelta(days=1))
    award = award_flow.fresh(award)
    assert award.case.stage == "closeout"
    event = last_transition(award)
    assert event.actor is None and event.data["by"] == "system" and event.data["name"] == "open_closeout"
    end = award.end
    assert event.data["reason"] == f"the award period ended on {end:%b} {end.day}, {end.year}"
    assert event_sentence(event, award.case).startswith("System moved it from Planning phase to Closeout: the award")


def test_after_an_extension_closeout_waits_for_the_new_end(award, admin):
    award = award_flow.accept(award, admin)
    old_end, new_end = award.end, award.end + timedelta(days=90)
    Award.objects.filter(pk=award.pk).update(end=new_end)  # What an approved no-cost extension leaves.
    sweep_on(old_end + timedelta(days=1))
    assert award_flow.fresh(award).case.stage == "planning"
    sweep_on(new_end + timedelta(days=1))
    award = award_flow.fresh(award)
    assert award.case.stage == "closeout"
    assert f"(extended from {old_end:%b} {old_end.day}, {old_end.year})" in last_transition(award).data["reason"]


def test_an_offer_not_accepted_by_day_45_lapses_and_bja_reopens_it_with_a_reason(award, admin, grant_manager):
    sweep_on(award.acceptance_due)
    assert award_flow.fresh(award).case.stage == "offered"
    sweep_on(award.acceptance_due + timedelta(days=1))
    award = award_flow.fresh(award)
    assert award.case.stage == "lapsed"
    assert "was not accepted by" in last_transition(award).data["reason"]
    with pytest.raises(Conflict) as lapsed:
        services.award_accept(award=award, actor=admin)
    assert lapsed.value.code == "lapsed" and award_flow.fresh(award).accepted_at is None

    reopen_day = award.acceptance_due + timedelta(days=3)
    with at(reopen_day):
        with pytest.raises(ServiceError) as no_reason:
            case_transition(case=award.case, name="reopen", actor=grant_manager)
        assert no_reason.value.field == "comment"
        case_transition(case=award.case, name="reopen", actor=grant_manager, comment="The county board met late.")
    award = award_flow.fresh(award)
    assert award.case.stage == "offered" and award.acceptance_due == reopen_day + timedelta(days=45)
    assert last_transition(award).data["comment"] == "The county board met late."
    award = award_flow.accept(award, admin)
    assert award.case.stage == "planning"


def test_the_award_page_says_the_offer_lapsed(award, admin, client):
    sweep_on(award.acceptance_due + timedelta(days=1))
    client.force_login(admin)
    page = client.get(award.get_absolute_url()).content.decode()
    assert "The offer lapsed" in page and "System moved it from" in page


def _in_closeout(award, admin) -> Award:
    award = award_flow.accept(award, admin)
    sweep_on(award.end + timedelta(days=1))
    return award_flow.fresh(award)


def test_day_120_flags_bja_and_day_121_closes_administratively(award, admin):
    award = _in_closeout(award, admin)
    sweep_on(award.closeout_due - timedelta(days=1))
    assert not Event.objects.filter(case=award.case, verb="clock.flagged").exists()
    sweep_on(award.closeout_due)
    sweep_on(award.closeout_due)
    flag = Event.objects.get(case=award.case, verb="clock.flagged")
    assert flag.actor is None and "3 final reports not approved yet" in flag.data["reason"]
    assert award_flow.fresh(award).case.stage == "closeout"

    sweep_on(award.closeout_due + timedelta(days=1))
    award = award_flow.fresh(award)
    assert award.case.stage == "closed" and award.case.closed_at is not None
    event = last_transition(award)
    assert event.data["name"] == "close_administratively" and event.data["unsubmitted"] == 3
    assert "DOJ closes the award administratively" in event.data["reason"]


def test_a_closeout_with_every_final_report_submitted_is_left_to_bja(award, admin, member, bh_member):
    award = _in_closeout(award, admin)
    for report in award.reports.filter(kind__startswith="final_"):
        award_flow.report_through_lead(report, bh_member, member)
    sweep_on(award.closeout_due + timedelta(days=5))
    award = award_flow.fresh(award)
    assert award.case.stage == "closeout"
    assert "3 final reports not approved yet" in Event.objects.get(case=award.case, verb="clock.flagged").data["reason"]


def test_nobody_fires_the_administrative_closeout_or_the_lapse(award, admin, grant_manager):
    with pytest.raises(ServiceError) as refused:
        case_transition(case=award.case, name="lapse", actor=grant_manager)
    assert refused.value.code == "system_only"


def test_declining_through_the_api_needs_the_reason_and_the_confirmation(award, admin):
    client = api_client(admin)
    response = client.post(f"/api/v1/awards/{award.pk}/decline/", {"reason": "No match."}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "confirm"
    assert award_flow.fresh(award).declined_at is None and award.case.stage == "offered"
    response = client.post(f"/api/v1/awards/{award.pk}/decline/", {"confirm": True}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "reason"
    response = client.post(
        f"/api/v1/awards/{award.pk}/decline/", {"reason": "No match.", "confirm": True}, format="json"
    )
    assert response.status_code == 200
    award = award_flow.fresh(award)
    assert award.case.stage == "declined"
    assert last_transition(award).data["comment"] == "No match."
