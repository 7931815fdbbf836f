"""Peer review, half-way and undone: a reviewer saves a draft; the grant manager replaces a reviewer who is silent."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from config.errors import Conflict, NotFound, ServiceError
from grants.models import Application, AssignmentStatus, ReviewAssignment
from grants.rules import manages_grant
from grants.services.common import (
    APPLICATION_NOT_FOUND,
    APPLICATION_RELATED,
    case_object_lock,
    expect_stage,
    refuse_unless,
)
from grants.services.reviews import ASSIGNABLE_STAGES, _own_assignment, score_check
from workflow import services
from workflow.access import MANAGE, case_require
from workflow.models import Audience


@transaction.atomic
def review_draft_save(
    *, application: Application, actor: User, scores: dict[int, dict], comment: str = ""
) -> ReviewAssignment:
    """Keep the reviewer's scores and comments so far, for them alone; any criterion may still be blank."""
    application = case_object_lock(application, related=APPLICATION_RELATED)
    assignment = _own_assignment(application, actor)
    if assignment.status != AssignmentStatus.DECLARED:
        raise Conflict(
            "Declare that you have no conflict of interest first; a submitted review is final.", code="wrong_status"
        )
    expect_stage(application, ("peer_review",), "score the application")
    criteria = {criterion.pk: criterion for criterion in application.solicitation.criteria.all()}
    kept = {}
    for key, entry in scores.items():
        criterion = criteria.get(int(key)) if str(key).isdigit() else None
        if criterion is None:
            raise ServiceError(f"Criterion {key} is not a criterion of this solicitation.", field="scores")
        value = entry.get("score")
        score = "" if value in (None, "") else str(score_check(value, criterion))
        kept[str(criterion.pk)] = {"score": score, "comment": (entry.get("comment") or "").strip()}
    assignment.draft = {"scores": kept, "comment": (comment or "").strip()}
    assignment.full_clean()
    assignment.save(update_fields=["draft"])
    services.event_record(
        case=application.case,
        actor=actor,
        verb="review.draft_saved",
        data={"assignment": assignment.pk},
        audience=Audience.REVIEWERS,
    )
    return assignment


def reviewer_removable(*, application: Application, reviewer: User, actor: User, lock: bool = False):
    """What a removal checks before it writes (the page asks it before offering the step): the actor manages the
    grant, the application is in review, and the reviewer's assignment is not final. Returns the assignment."""
    refusal = "Only a BJA grant manager removes peer reviewers."
    case_require(user=actor, case=application.case, action=MANAGE, message=refusal, not_found=APPLICATION_NOT_FOUND)
    refuse_unless(manages_grant(actor, application.case), refusal)
    expect_stage(application, ASSIGNABLE_STAGES, "remove a peer reviewer")
    assignments = ReviewAssignment.objects.select_for_update() if lock else ReviewAssignment.objects
    assignment = assignments.filter(application=application, reviewer=reviewer).first()
    if assignment is None:
        raise NotFound(f"{reviewer} is not assigned to this application.", field="reviewer")
    if assignment.status not in (AssignmentStatus.ASSIGNED, AssignmentStatus.DECLARED):
        raise Conflict(
            f"{reviewer}'s review is {assignment.get_status_display().lower()}: it stays on the record.",
            field="reviewer",
            code="review_final",
        )
    return assignment


@transaction.atomic
def reviewer_remove(*, application: Application, reviewer: User, actor: User, reason: str) -> None:
    """The grant manager takes a reviewer who has not submitted off the application, saying why; their access ends
    at once.

    Another reviewer is then assigned as usual (``reviewer_assign``). A submitted review stays: it is the record.
    """
    application = case_object_lock(application, related=APPLICATION_RELATED)
    assignment = reviewer_removable(application=application, reviewer=reviewer, actor=actor, lock=True)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(f"Say why {reviewer} no longer reviews this application.", field="reason", code="required")
    assignment_id = assignment.pk
    assignment.delete()
    # The same door as every grant: the reviewer's right to see and score the application ends in this commit.
    services.case_revoke(case=application.case, user=reviewer, permission="review_case", actor=actor)
    services.event_record(
        case=application.case,
        actor=actor,
        verb="review.reviewer_removed",
        data={"assignment": assignment_id, "reviewer": str(reviewer), "reason": reason},
        audience=Audience.REVIEWERS,
    )
