"""Peer review: the grant manager assigns, each reviewer declares no conflict of interest, then scores."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Role, User
from config.errors import Conflict, NotAllowed, ServiceError
from grants.models import Application, AssignmentStatus, ReviewAssignment, ReviewScore
from grants.rules import manages_grant
from grants.services.common import (
    APPLICATION_NOT_FOUND,
    APPLICATION_RELATED,
    case_object_lock,
    expect_stage,
    refuse_unless,
)
from workflow import services
from workflow.access import MANAGE, VIEW, case_require
from workflow.models import Audience, Participant, ParticipantRole

ASSIGNABLE_STAGES = ("submitted", "completeness_review", "peer_review")


def _conflicting_organizations(application: Application, reviewer: User) -> list[str]:
    """Organizations taking part in the application (other than as reviewing agency) the reviewer belongs to."""
    parties = Participant.objects.filter(case=application.case).exclude(role=ParticipantRole.REVIEWER)
    return list(
        Membership.objects.active()
        .filter(user=reviewer, organization__in=parties.values("organization_id"))
        .values_list("organization__name", flat=True)
    )


def _conflict_error(reviewer: User, names: list[str]) -> ServiceError:
    return ServiceError(
        f"{reviewer} belongs to {', '.join(names)}, which takes part in this application: a reviewer from a "
        "participating organization has a conflict of interest.",
        field="reviewer",
        code="conflict_of_interest",
    )


@transaction.atomic
def reviewer_assign(
    *, application: Application, reviewer: User, actor: User, due_date: date | None = None
) -> ReviewAssignment:
    """Give a peer reviewer this one application (a per-object grant) with a due date."""
    application = case_object_lock(application, related=APPLICATION_RELATED)
    refusal = "Only a BJA grant manager assigns peer reviewers."
    case_require(user=actor, case=application.case, action=MANAGE, message=refusal, not_found=APPLICATION_NOT_FOUND)
    refuse_unless(manages_grant(actor, application.case), refusal)
    expect_stage(application, ASSIGNABLE_STAGES, "assign a peer reviewer")
    if not Membership.objects.active().filter(user=reviewer, role=Role.PEER_REVIEWER).exists():
        raise ServiceError(f"{reviewer} is not a peer reviewer.", field="reviewer", code="not_a_peer_reviewer")
    conflicts = _conflicting_organizations(application, reviewer)
    if conflicts:
        raise _conflict_error(reviewer, conflicts)
    if application.review_assignments.filter(reviewer=reviewer).exists():
        raise Conflict(f"{reviewer} is already assigned to this application.", field="reviewer", code="duplicate")
    today = timezone.localdate()
    due_date = due_date or today + timedelta(days=application.solicitation.review_period_days)
    if due_date < today:
        raise ServiceError("The review cannot be due in the past.", field="due_date", code="due_in_past")
    assignment = ReviewAssignment.objects.create(
        application=application, reviewer=reviewer, due_date=due_date, assigned_by=actor
    )
    services.case_grant(case=application.case, user=reviewer, permission="review_case", actor=actor)
    # The event names no reviewer: applicants read the timeline, and peer reviewers stay anonymous to them.
    services.event_record(
        case=application.case,
        actor=actor,
        verb="review.assigned",
        data={"assignment": assignment.pk},
        audience=Audience.REVIEWERS,
    )
    return assignment


def _own_assignment(application: Application, actor: User) -> ReviewAssignment:
    case_require(user=actor, case=application.case, action=VIEW, message="", not_found=APPLICATION_NOT_FOUND)
    assignment = ReviewAssignment.objects.select_for_update().filter(application=application, reviewer=actor).first()
    if assignment is None:
        raise NotAllowed("You are not assigned to review this application.")
    return assignment


@transaction.atomic
def review_declare(*, application: Application, actor: User, no_conflict: bool, note: str = "") -> ReviewAssignment:
    """The reviewer declares no conflict of interest (and may then score), or declares one and recuses."""
    application = case_object_lock(application, related=APPLICATION_RELATED)
    assignment = _own_assignment(application, actor)
    if assignment.status != AssignmentStatus.ASSIGNED:
        raise Conflict(f"You have already declared ({assignment.get_status_display()}).", code="already_declared")
    now = timezone.now()
    if no_conflict:
        conflicts = _conflicting_organizations(application, actor)
        if conflicts:
            raise _conflict_error(actor, conflicts)
        assignment.status = AssignmentStatus.DECLARED
    else:
        assignment.status = AssignmentStatus.RECUSED
        services.case_revoke(case=application.case, user=actor, permission="review_case", actor=None)
    assignment.declared_at, assignment.conflict_note = now, note.strip()
    assignment.save(update_fields=["status", "declared_at", "conflict_note"])
    verb = "review.declared" if no_conflict else "review.recused"
    services.event_record(
        case=application.case, actor=actor, verb=verb, data={"assignment": assignment.pk}, audience=Audience.REVIEWERS
    )
    return assignment


def score_check(value, criterion) -> Decimal:
    try:
        score = Decimal(str(value))
    except (InvalidOperation, ValueError):
        score = None
    if score is None or not score.is_finite() or score != score.quantize(Decimal("0.01")):
        raise ServiceError(
            f"“{criterion.title}”: “{value}” is not a score (a number with at most two decimals).",
            field=f"scores.{criterion.pk}",
            code="invalid_score",
        )
    if not 0 <= score <= criterion.weight:
        raise ServiceError(
            f"“{criterion.title}” is scored from 0 to {criterion.weight}; {value} is out of range.",
            field=f"scores.{criterion.pk}",
            code="score_out_of_range",
        )
    return score


@transaction.atomic
def review_submit(
    *, application: Application, actor: User, scores: dict[int, dict], comment: str = ""
) -> ReviewAssignment:
    """Score every criterion from 0 to its weight, with comments. Final once submitted."""
    application = case_object_lock(application, related=APPLICATION_RELATED)
    assignment = _own_assignment(application, actor)
    if assignment.status == AssignmentStatus.ASSIGNED:
        raise Conflict(
            "Declare that you have no conflict of interest with the applicants before scoring.",
            code="conflict_not_declared",
        )
    if assignment.status != AssignmentStatus.DECLARED:
        raise Conflict(f"Your review is {assignment.get_status_display().lower()}.", code="wrong_status")
    expect_stage(application, ("peer_review",), "score the application")
    criteria = list(application.solicitation.criteria.all())
    try:
        scores = {int(key): entry for key, entry in scores.items()}
    except (TypeError, ValueError):
        raise ServiceError("Scores are keyed by criterion id.", field="scores", code="unknown_criterion") from None
    unknown = sorted(set(scores) - {criterion.pk for criterion in criteria})
    if unknown:
        raise ServiceError(
            f"Criteria {', '.join(map(str, unknown))} are not criteria of this solicitation.",
            field="scores",
            code="unknown_criterion",
        )
    rows = []
    for criterion in criteria:
        entry = scores.get(criterion.pk)
        if entry is None or entry.get("score") in (None, ""):
            raise ServiceError(f"Score “{criterion.title}”.", field=f"scores.{criterion.pk}", code="score_missing")
        score = score_check(entry["score"], criterion)
        # The applicants' feedback is the comments: a score without its reason is no review (docs/grants.md).
        remark = (entry.get("comment") or "").strip()
        if not remark:
            raise ServiceError(
                f"Say why “{criterion.title}” gets {score}.", field=f"scores.{criterion.pk}", code="comment_missing"
            )
        rows.append(ReviewScore(assignment=assignment, criterion=criterion, score=score, comment=remark))
    ReviewScore.objects.bulk_create(rows)
    assignment.total = sum((row.score for row in rows), Decimal(0)).quantize(Decimal("0.01"))
    assignment.status, assignment.submitted_at, assignment.comment = AssignmentStatus.SUBMITTED, timezone.now(), comment
    assignment.draft = {}
    assignment.save(update_fields=["total", "status", "submitted_at", "comment", "draft"])
    services.event_record(
        case=application.case,
        actor=actor,
        verb="review.submitted",
        data={"assignment": assignment.pk},
        audience=Audience.REVIEWERS,
    )
    return assignment
