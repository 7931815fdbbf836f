"""Peer reviews as each person may see them, the score summary and the ranked list.

Who sees which scores: BJA staff who see the case through their agency (grant managers, and their
agency's read-only staff) see every review; a peer reviewer sees their own, and the others' only once
their own is submitted; applicants see none.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, DecimalField, ExpressionWrapper, F, Max, Min, Prefetch, Q, QuerySet

from accounts.models import Membership, User
from grants.models import Application, AssignmentStatus, Criterion, ReviewAssignment, ReviewScore, Solicitation
from grants.rules import STAFF_ROLES, reviewing_staff
from grants.selectors.applications import application_list
from workflow.access import VIEW, case_access
from workflow.models import Case, ParticipantRole

RANKED_STAGES = ("peer_review", "financial_review", "decision", "awarded", "not_funded")
CENT = Decimal("0.01")


def _round(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(CENT)


def assignment_for(*, application: Application, user: User) -> ReviewAssignment | None:
    return application.review_assignments.filter(reviewer=user).first()


def assignment_rows(assignments: QuerySet[ReviewAssignment]) -> QuerySet[ReviewAssignment]:
    return assignments.select_related(
        "application__case", "application__solicitation", "application__category"
    ).order_by("submitted_at", "due_date", "id")


def assignment_list_for_reviewer(*, user: User) -> QuerySet[ReviewAssignment]:
    """The user's review assignments on applications they still may see (a recusal removes the grant)."""
    return assignment_rows(
        ReviewAssignment.objects.filter(case_access(user, VIEW, case_field="application__case_id"), reviewer=user)
    )


def _with_scores(queryset: QuerySet[ReviewAssignment]) -> QuerySet[ReviewAssignment]:
    scores = ReviewScore.objects.select_related("criterion").order_by("criterion__order")
    return queryset.select_related("reviewer").prefetch_related(Prefetch("scores", queryset=scores))


def reviews_visible(*, application: Application, user: User) -> list[ReviewAssignment]:
    """The reviews the user may read, each with ``reviewer_label`` and ``reviewer_hidden`` for showing them.

    BJA's staff see every review and who wrote it. A peer reviewer sees their own and, once they have submitted
    it, the others' scores, but never who the others are: peer reviewers stay anonymous to one another
    ("Reviewer 2", numbered in the order they were assigned).
    """
    assignments = application.review_assignments.order_by("assigned_at", "id")
    if reviewing_staff(user, application.case):
        return _labelled(list(_with_scores(assignments)), user, staff=True)
    own = assignments.filter(reviewer=user).only("status").first()
    if own is None:
        return []
    if own.status != AssignmentStatus.SUBMITTED:
        return _labelled(list(_with_scores(assignments.filter(reviewer=user))), user, staff=False)
    shown = assignments.filter(Q(reviewer=user) | Q(status=AssignmentStatus.SUBMITTED))
    return _labelled(list(_with_scores(shown)), user, staff=False)


def _labelled(reviews: list[ReviewAssignment], user: User, *, staff: bool) -> list[ReviewAssignment]:
    for number, review in enumerate(reviews, start=1):
        review.reviewer_hidden = not staff and review.reviewer_id != user.pk
        if review.reviewer_id == user.pk:
            review.reviewer_label = "Your review"
        else:
            review.reviewer_label = f"Reviewer {number}" if review.reviewer_hidden else str(review.reviewer)
    return reviews


@dataclass(frozen=True)
class ReviewSummary:
    submitted: int
    expected: int
    average: Decimal | None
    low: Decimal | None
    high: Decimal | None
    criteria: list[tuple[Criterion, Decimal | None]]

    @property
    def spread(self) -> Decimal | None:
        return None if self.average is None else self.high - self.low


def review_summary(*, application: Application) -> ReviewSummary:
    """Average of the reviewers' totals (each out of 100, criteria weighted), their spread, and per criterion."""
    submitted = Q(status=AssignmentStatus.SUBMITTED)
    totals = application.review_assignments.aggregate(
        average=Avg("total", filter=submitted),
        low=Min("total", filter=submitted),
        high=Max("total", filter=submitted),
        submitted=Count("id", filter=submitted),
        expected=Count("id", filter=~Q(status=AssignmentStatus.RECUSED)),
    )
    averages = dict(
        ReviewScore.objects.filter(assignment__application=application, assignment__status=AssignmentStatus.SUBMITTED)
        .values("criterion_id")
        .annotate(average=Avg("score"))
        .values_list("criterion_id", "average")
    )
    criteria = [
        (criterion, _round(averages.get(criterion.id))) for criterion in application.solicitation.criteria.all()
    ]
    return ReviewSummary(
        submitted=totals["submitted"],
        expected=totals["expected"],
        average=_round(totals["average"]),
        low=_round(totals["low"]),
        high=_round(totals["high"]),
        criteria=criteria,
    )


@dataclass(frozen=True)
class RankedApplication:
    rank: int | None
    application: Application
    average: Decimal | None
    spread: Decimal | None
    submitted: int
    expected: int


def ranking(*, solicitation: Solicitation, user: User) -> list[RankedApplication]:
    """Applications past the completeness review, best average first; ties share a rank, a smaller spread first."""
    submitted = Q(review_assignments__status=AssignmentStatus.SUBMITTED)
    # Scores compared side by side are for the reviewing agency's staff only, whatever else the user sees.
    agencies = Membership.objects.active().filter(user=user, role__in=STAFF_ROLES).values("organization_id")
    reviewed = Case.objects.filter(
        participations__role=ParticipantRole.REVIEWER, participations__organization__in=agencies
    ).values("id")
    rows = (
        application_list(user=user)
        .filter(solicitation=solicitation, case__stage__in=RANKED_STAGES, case__in=reviewed)
        .annotate(
            average=Avg("review_assignments__total", filter=submitted),
            high=Max("review_assignments__total", filter=submitted),
            low=Min("review_assignments__total", filter=submitted),
            submitted_count=Count("review_assignments", filter=submitted),
            expected_count=Count("review_assignments", filter=~Q(review_assignments__status=AssignmentStatus.RECUSED)),
        )
        .annotate(spread=ExpressionWrapper(F("high") - F("low"), output_field=DecimalField()))
        .order_by(F("average").desc(nulls_last=True), F("spread").asc(nulls_last=True), "case__title", "id")
    )
    ranked, rank, previous = [], 0, None
    for position, row in enumerate(rows, start=1):
        average = _round(row.average)
        if average is not None and average != previous:
            rank, previous = position, average
        ranked.append(
            RankedApplication(
                rank=rank if average is not None else None,
                application=row,
                average=average,
                spread=_round(row.spread),
                submitted=row.submitted_count,
                expected=row.expected_count,
            )
        )
    return ranked
