"""The funding decision: recorded and moved in one step; the post-award work hooks onto "awarded"."""

from decimal import Decimal

import pytest

from config.errors import Conflict, NotAllowed, ServiceError
from grants import services
from grants.awards.services import award as award_services
from grants.awards.services.award import award_created_hook
from grants.machines import MACHINE
from grants.models import Award, Decision
from tests.grants import flow
from workflow.errors import GuardFailed
from workflow.models import Event
from workflow.services import case_transition


@pytest.fixture
def in_decision(in_peer_review, grant_manager, reviewer):
    flow.review(in_peer_review, grant_manager, reviewer, Decimal("0.85"))
    return flow.to_decision(in_peer_review, grant_manager)


def test_the_machine_is_sound():
    assert MACHINE.problems() == []
    assert MACHINE.on_enter["awarded"] == [award_created_hook]  # Entering "awarded" opens the award case.


def test_award_records_amount_date_and_conditions_in_the_same_step(in_decision, grant_manager, monkeypatch):
    entered = []
    create = award_services.award_create

    def spy(*, application, actor):
        entered.append((application.case.stage, Decision.objects.get().amount))
        return create(application=application, actor=actor)

    monkeypatch.setattr(award_services, "award_create", spy)
    decision = services.decision_record(
        application=in_decision,
        actor=grant_manager,
        outcome="awarded",
        amount=Decimal("500000"),
        conditions="Submit a budget modification for the reduced award.",
    )
    assert entered == [("awarded", Decimal("500000.00"))]  # The hook runs inside the step, after the decision.
    assert Award.objects.get().application == in_decision
    case = flow.fresh(in_decision).case
    assert (case.stage, decision.decided_by, decision.outcome) == ("awarded", grant_manager, "awarded")
    event = Event.objects.filter(case=case, verb="transition", data__name="award").get()
    assert event.data["comment"].startswith("Award of $500,000.00")


def test_an_award_case_that_cannot_be_opened_rolls_the_decision_back(in_decision, grant_manager, monkeypatch):
    def fail(*, application, actor):
        raise RuntimeError("The award case could not be opened.")

    monkeypatch.setattr(award_services, "award_create", fail)
    with pytest.raises(RuntimeError):
        services.decision_record(application=in_decision, actor=grant_manager, outcome="awarded", amount=Decimal(1))
    assert not Decision.objects.exists() and not Award.objects.exists()
    assert flow.fresh(in_decision).case.stage == "decision"
    assert not Event.objects.filter(case=in_decision.case, verb="transition", data__name="award").exists()


def test_the_generic_endpoint_cannot_award_without_the_decision(in_decision, grant_manager):
    with pytest.raises(GuardFailed) as refused:
        case_transition(case=in_decision.case, name="award", actor=grant_manager)
    assert refused.value.reasons == ["Record the award amount, date and conditions (the award form)."]


@pytest.mark.parametrize(
    "amount, code",
    [(Decimal("540000.01"), "above_request"), (Decimal("0"), "invalid"), (None, "required")],
)
def test_an_award_amount_must_be_positive_and_within_the_request(in_decision, grant_manager, amount, code):
    with pytest.raises(ServiceError) as refused:
        services.decision_record(application=in_decision, actor=grant_manager, outcome="awarded", amount=amount)
    assert refused.value.code == code
    assert not Decision.objects.exists() and flow.fresh(in_decision).case.stage == "decision"


def test_not_funded_and_only_once(in_decision, grant_manager):
    services.decision_record(
        application=in_decision, actor=grant_manager, outcome="not_funded", conditions="Ranked below the cut-off."
    )
    assert flow.fresh(in_decision).case.stage == "not_funded"
    with pytest.raises(Conflict):
        services.decision_record(application=in_decision, actor=grant_manager, outcome="awarded", amount=Decimal(1))


def test_only_a_grant_manager_decides(in_decision, reviewer, bja_viewer, admin):
    for person in (reviewer, bja_viewer, admin):
        with pytest.raises(NotAllowed):
            services.decision_record(application=in_decision, actor=person, outcome="awarded", amount=Decimal(1))
    assert not Decision.objects.exists()


def test_withdraw_from_draft_or_submitted_by_the_lead_admin(application, submitted, admin, bh_admin, solicitation):
    with pytest.raises(NotAllowed):
        case_transition(case=submitted.case, name="withdraw", actor=bh_admin)
    with pytest.raises(ServiceError) as unconfirmed:
        case_transition(case=submitted.case, name="withdraw", actor=admin, comment="The county pulled out.")
    assert unconfirmed.value.field == "confirm"
    case_transition(case=submitted.case, name="withdraw", actor=admin, comment="The county pulled out.", confirm=True)
    assert flow.fresh(submitted).case.stage == "withdrawn"
