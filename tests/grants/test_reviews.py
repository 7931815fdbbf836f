"""Peer review: conflict of interest, declaring no conflict before scoring, scores within each criterion's
weight, no peeking at the others' scores before submitting one's own, and the grant manager's numbers."""

from decimal import Decimal

import pytest

from accounts.models import Role
from config.errors import Conflict, NotAllowed, ServiceError
from grants import selectors, services
from grants.models import ReviewAssignment, ReviewScore
from tests import factories
from tests.grants import flow
from workflow.access import case_rights
from workflow.errors import GuardFailed
from workflow.models import CaseUserPermission
from workflow.services import case_transition


def test_assigning_gives_the_reviewer_this_application_only(in_peer_review, grant_manager, reviewer, solicitation):
    other = flow.application_start(
        solicitation=solicitation, lead=in_peer_review.case.organization, actor=_lead_admin(in_peer_review)
    )
    assert "view" not in case_rights(user=reviewer, case=in_peer_review.case)
    assignment = services.reviewer_assign(application=in_peer_review, reviewer=reviewer, actor=grant_manager)
    assert assignment.due_date is not None and assignment.status == "assigned"
    # The score right only: the review right is BJA's (decisions), and anything else would name the reviewer.
    assert case_rights(user=reviewer, case=in_peer_review.case) == {"view", "score"}
    assert "view" not in case_rights(user=reviewer, case=other.case)
    assert list(selectors.assignment_list_for_reviewer(user=reviewer)) == [assignment]


def _lead_admin(application):
    return application.case.organization.memberships.get(role=Role.ADMIN).user


def test_a_reviewer_from_a_participating_organization_has_a_conflict(in_peer_review, grant_manager, bh_org):
    conflicted = factories.member_of(bh_org, Role.VIEWER, full_name="Dual Role")
    factories.MembershipFactory(
        user=conflicted, organization=grant_manager.memberships.get().organization, role=Role.PEER_REVIEWER
    )
    with pytest.raises(ServiceError) as refused:
        services.reviewer_assign(application=in_peer_review, reviewer=conflicted, actor=grant_manager)
    assert refused.value.code == "conflict_of_interest" and "Prairie Behavioral Health" in refused.value.message
    assert not ReviewAssignment.objects.exists() and not CaseUserPermission.objects.exists()


def test_an_invitation_is_no_affiliation_until_accepted(in_peer_review, grant_manager, bh_org, reviewer, reviewer2):
    """An applicant's admin cannot knock a peer reviewer off its application by inviting them (an existing account
    is never added at once); a reviewer who accepts does belong, and is conflicted."""
    from accounts.services import membership_accept, membership_invite

    bh_admin = factories.member_of(bh_org, Role.ADMIN)
    membership_invite(actor=bh_admin, organization=bh_org, email=reviewer.email, role=Role.VIEWER)

    services.reviewer_assign(application=in_peer_review, reviewer=reviewer, actor=grant_manager)

    accepted = membership_invite(actor=bh_admin, organization=bh_org, email=reviewer2.email, role=Role.VIEWER)
    membership_accept(actor=reviewer2, membership=accepted)
    with pytest.raises(ServiceError) as refused:
        services.reviewer_assign(application=in_peer_review, reviewer=reviewer2, actor=grant_manager)
    assert refused.value.code == "conflict_of_interest"


def test_only_peer_reviewers_are_assigned_by_grant_managers(in_peer_review, grant_manager, bja_viewer, reviewer):
    with pytest.raises(ServiceError) as refused:
        services.reviewer_assign(application=in_peer_review, reviewer=bja_viewer, actor=grant_manager)
    assert refused.value.code == "not_a_peer_reviewer"
    with pytest.raises(NotAllowed):
        services.reviewer_assign(application=in_peer_review, reviewer=reviewer, actor=bja_viewer)
    services.reviewer_assign(application=in_peer_review, reviewer=reviewer, actor=grant_manager)
    with pytest.raises(Conflict):
        services.reviewer_assign(application=in_peer_review, reviewer=reviewer, actor=grant_manager)


def test_no_scoring_before_declaring_no_conflict(in_peer_review, grant_manager, reviewer):
    services.reviewer_assign(application=in_peer_review, reviewer=reviewer, actor=grant_manager)
    scores = flow.scores_for(in_peer_review, Decimal("0.5"))
    with pytest.raises(Conflict) as refused:
        services.review_submit(application=in_peer_review, actor=reviewer, scores=scores)
    assert refused.value.code == "conflict_not_declared"
    assert not ReviewScore.objects.exists()


@pytest.mark.parametrize(
    "bad, code",
    [
        ({"score": "36"}, "score_out_of_range"),
        ({"score": "-1"}, "score_out_of_range"),
        ({"score": "ten"}, "invalid_score"),
        ({"score": "1.005"}, "invalid_score"),
        (None, "score_missing"),
    ],
)
def test_each_criterion_is_scored_from_zero_to_its_weight(in_peer_review, grant_manager, reviewer, bad, code):
    services.reviewer_assign(application=in_peer_review, reviewer=reviewer, actor=grant_manager)
    services.review_declare(application=in_peer_review, actor=reviewer, no_conflict=True)
    scores = flow.scores_for(in_peer_review, Decimal("0.5"))
    design = in_peer_review.solicitation.criteria.get(title="Project design and implementation")
    if bad is None:
        del scores[design.pk]
    else:
        scores[design.pk] = bad
    with pytest.raises(ServiceError) as refused:
        services.review_submit(application=in_peer_review, actor=reviewer, scores=scores)
    assert refused.value.code == code and refused.value.field == f"scores.{design.pk}"
    if code == "score_out_of_range":
        assert "from 0 to 35" in refused.value.message
    assert not ReviewScore.objects.exists()
    assert ReviewAssignment.objects.get().status == "declared"


def test_reviewers_see_each_others_scores_only_after_submitting(
    in_peer_review, grant_manager, reviewer, reviewer2, admin
):
    for person in (reviewer, reviewer2):
        services.reviewer_assign(application=in_peer_review, reviewer=person, actor=grant_manager)
        services.review_declare(application=in_peer_review, actor=person, no_conflict=True)
    services.review_submit(
        application=in_peer_review, actor=reviewer, scores=flow.scores_for(in_peer_review, Decimal("0.9"))
    )
    seen = selectors.reviews_visible(application=in_peer_review, user=reviewer2)
    assert [(r.reviewer, r.scores.count()) for r in seen] == [(reviewer2, 0)]
    assert [r.reviewer for r in selectors.reviews_visible(application=in_peer_review, user=reviewer)] == [reviewer]
    services.review_submit(
        application=in_peer_review, actor=reviewer2, scores=flow.scores_for(in_peer_review, Decimal("0.7"))
    )
    seen = selectors.reviews_visible(application=in_peer_review, user=reviewer2)
    assert {r.reviewer for r in seen} == {reviewer, reviewer2}
    assert len(selectors.reviews_visible(application=in_peer_review, user=grant_manager)) == 2
    assert selectors.reviews_visible(application=in_peer_review, user=admin) == []  # Applicants see none.


def test_a_reviewer_who_declares_a_conflict_recuses_and_loses_access(in_peer_review, grant_manager, reviewer):
    services.reviewer_assign(application=in_peer_review, reviewer=reviewer, actor=grant_manager)
    assignment = services.review_declare(
        application=in_peer_review, actor=reviewer, no_conflict=False, note="My spouse works for the provider."
    )
    assert assignment.status == "recused"
    assert case_rights(user=reviewer, case=in_peer_review.case) == set()
    assert not selectors.assignment_list_for_reviewer(user=reviewer).exists()


def test_summary_and_closing_the_peer_review(in_peer_review, grant_manager, reviewer, reviewer2):
    services.reviewer_assign(application=in_peer_review, reviewer=reviewer2, actor=grant_manager)
    flow.review(in_peer_review, grant_manager, reviewer, Decimal("0.9"))
    with pytest.raises(GuardFailed) as refused:
        case_transition(case=in_peer_review.case, name="close_peer_review", actor=grant_manager)
    assert refused.value.reasons == ["Every assigned reviewer must submit a review or recuse."]
    services.review_declare(application=in_peer_review, actor=reviewer2, no_conflict=True)
    services.review_submit(
        application=in_peer_review, actor=reviewer2, scores=flow.scores_for(in_peer_review, Decimal("0.6"))
    )
    summary = selectors.review_summary(application=in_peer_review)
    assert (summary.average, summary.low, summary.high, summary.spread) == (
        Decimal("75.00"),
        Decimal("60.00"),
        Decimal("90.00"),
        Decimal("30.00"),
    )
    design = dict(summary.criteria)
    assert design[in_peer_review.solicitation.criteria.get(weight=35)] == Decimal("26.25")
    case_transition(case=in_peer_review.case, name="close_peer_review", actor=grant_manager)
    assert flow.fresh(in_peer_review).case.stage == "financial_review"


def test_the_ranked_list_orders_by_average_then_spread(
    solicitation, organization, admin, bh_org, bh_admin, grant_manager, reviewer, reviewer2
):
    fractions = {"Alpha": ("0.8", "0.8"), "Bravo": ("0.9", "0.7"), "Charlie": ("0.95", "0.95"), "Delta": None}
    for title, pair in fractions.items():
        application = flow.application_start(
            solicitation=solicitation, lead=organization, actor=admin, co_applicants=[bh_org], title=title
        )
        flow.submit(application, admin, bh_admin)
        flow.to_peer_review(application, grant_manager)
        if pair:
            flow.review(application, grant_manager, reviewer, Decimal(pair[0]))
            flow.review(application, grant_manager, reviewer2, Decimal(pair[1]))
    draft = flow.application_start(solicitation=solicitation, lead=organization, actor=admin, title="Echo")
    ranked = selectors.ranking(solicitation=solicitation, user=grant_manager)
    rows = [(row.rank, row.application.case.title, row.average, row.spread) for row in ranked]
    assert rows == [
        (1, "Charlie", Decimal("95.00"), Decimal("0.00")),
        (2, "Alpha", Decimal("80.00"), Decimal("0.00")),
        (2, "Bravo", Decimal("80.00"), Decimal("20.00")),
        (None, "Delta", None, None),
    ]
    assert draft.pk not in {row.application.pk for row in ranked}
    assert selectors.ranking(solicitation=solicitation, user=admin) == []  # Applicants' drafts are not ranked.
