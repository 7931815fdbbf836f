"""BJA's completeness review: complete goes to peer review; incomplete goes back to draft with its reasons
while the JustGrants deadline has not passed, and is rejected after it."""

from datetime import timedelta

import pytest
import time_machine

from config.errors import NotAllowed, ServiceError
from grants import selectors, services
from grants.models import CompletenessReview
from tests.grants import flow
from workflow.errors import GuardFailed
from workflow.services import case_transition


@pytest.fixture
def in_completeness_review(submitted, grant_manager):
    return flow.to_completeness_review(submitted, grant_manager)


def test_complete_moves_it_to_peer_review(in_completeness_review, grant_manager):
    review = services.completeness_record(application=in_completeness_review, actor=grant_manager, complete=True)
    assert review.outcome == "complete" and review.round == 1
    assert flow.fresh(in_completeness_review).case.stage == "peer_review"


def test_incomplete_before_the_deadline_returns_it_with_reasons(in_completeness_review, grant_manager, admin, bh_admin):
    application = in_completeness_review
    reasons = ["The MOU is not signed by the provider.", "", "  Letters of support are unsigned. "]
    review = services.completeness_record(application=application, actor=grant_manager, complete=False, reasons=reasons)
    assert review.outcome == "returned"
    assert review.reasons == ["The MOU is not signed by the provider.", "Letters of support are unsigned."]
    flow.fresh(application)
    assert application.case.stage == "draft"
    returned = application.case.events.filter(verb="transition", data__name="return_to_draft").get()
    assert returned.data["comment"] == "The MOU is not signed by the provider.; Letters of support are unsigned."
    # Returned: the applicants fix it, sign the new version again and resubmit; a second round follows.
    waiting = selectors.application_readiness(application=application).waiting_for
    assert len(waiting) == 2
    services.application_document_upload(
        application=application,
        actor=bh_admin,
        upload=flow.pdf("Signed MOU.pdf"),
        kind="memorandum_or_letter_of_intent",
    )
    flow.sign(application, admin, bh_admin)
    services.application_submit(application=application, actor=admin)
    flow.to_completeness_review(application, grant_manager)
    assert flow.fresh(application).submission_round == 2
    services.completeness_record(application=application, actor=grant_manager, complete=True)
    assert list(CompletenessReview.objects.values_list("round", "outcome")) == [(1, "returned"), (2, "complete")]


def test_incomplete_after_the_deadline_is_rejected(in_completeness_review, grant_manager):
    late = in_completeness_review.solicitation.justgrants_deadline + timedelta(seconds=1)
    with time_machine.travel(late, tick=False):
        review = services.completeness_record(
            application=in_completeness_review, actor=grant_manager, complete=False, reasons=["No budget narrative."]
        )
    assert review.outcome == "rejected"
    case = flow.fresh(in_completeness_review).case
    assert case.stage == "rejected" and case.closed_at is not None


def test_incomplete_needs_reasons_and_nothing_changes_without(in_completeness_review, grant_manager):
    with pytest.raises(ServiceError) as refused:
        services.completeness_record(application=in_completeness_review, actor=grant_manager, complete=False)
    assert refused.value.code == "reasons_required"
    assert not CompletenessReview.objects.exists()
    assert flow.fresh(in_completeness_review).case.stage == "completeness_review"


def test_only_a_grant_manager_records_the_finding(in_completeness_review, grant_manager, bja_viewer, reviewer, admin):
    services.reviewer_assign(application=in_completeness_review, reviewer=reviewer, actor=grant_manager)
    for person in (bja_viewer, reviewer, admin):
        with pytest.raises(NotAllowed):
            services.completeness_record(application=in_completeness_review, actor=person, complete=True)
    assert not CompletenessReview.objects.exists()


def test_the_generic_endpoint_cannot_skip_the_recorded_finding(in_completeness_review, grant_manager):
    for name in ("accept_complete", "return_to_draft", "reject_incomplete"):
        with pytest.raises(GuardFailed):
            case_transition(case=in_completeness_review.case, name=name, actor=grant_manager)


def test_return_is_for_before_the_deadline_only(in_completeness_review, grant_manager):
    """A finding recorded as "returned" cannot be used to return it once the deadline has passed."""
    CompletenessReview.objects.create(
        application=in_completeness_review, round=1, outcome="returned", reasons=["x"], reviewer=grant_manager
    )
    late = in_completeness_review.solicitation.justgrants_deadline + timedelta(seconds=1)
    with time_machine.travel(late, tick=False), pytest.raises(GuardFailed) as refused:
        case_transition(case=in_completeness_review.case, name="return_to_draft", actor=grant_manager)
    assert "After the JustGrants deadline an incomplete application is rejected, not returned." in refused.value.reasons
