"""Writes on assessments: start, save a draft, submit (which locks it), turn a gap into a milestone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, User
from config.errors import Conflict, ServiceError
from partnerships.choices import ASSESSMENT_CHECKLISTS, GAP_ANSWERS, Answer, AssessmentStatus
from partnerships.models import Assessment, AssessmentAnswer, Partnership
from partnerships.selectors.assessments import assessment_scores
from partnerships.services.common import require_acting_for
from tasks.models import OPEN_STATUSES, Task
from tasks.services.task import task_create
from workflow.access import EDIT, case_require
from workflow.checklists import checklist_template_current, milestone_add
from workflow.models import Milestone
from workflow.services import event_record


def _expected_checklist(organization: Organization) -> str:
    key = ASSESSMENT_CHECKLISTS.get(organization.kind)
    if key is None:
        raise ServiceError(
            f"There is no assessment checklist for {organization.get_kind_display().lower()} organizations.",
            field="organization",
            code="no_checklist",
        )
    return key


def _require_assessor(*, partnership: Partnership, organization: Organization, actor: User) -> None:
    case_require(case=partnership.case, user=actor, action=EDIT, message="Only partners who work on it can assess.")
    require_acting_for(
        case=partnership.case,
        actor=actor,
        organization=organization,
        message=f"Only staff of {organization} can answer its assessment.",
    )


@transaction.atomic
def assessment_start(
    *, partnership: Partnership, organization: Organization, actor: User, checklist: str | None = None
) -> Assessment:
    """Start `organization`'s assessment on the current version of the checklist for its kind."""
    case_require(case=partnership.case, user=actor, action=EDIT, message="Only partners who work on it can assess.")
    if not partnership.members.filter(organization=organization).exists():
        raise ServiceError(
            f"{organization} is not a member of this partnership.", field="organization", code="not_a_member"
        )
    expected = _expected_checklist(organization)
    if checklist is not None and checklist != expected:
        raise ServiceError(
            f"{organization} is a {organization.get_kind_display().lower()}: it answers the “{expected}” "
            f"checklist, not “{checklist}”.",
            field="checklist",
            code="wrong_audience",
        )
    _require_assessor(partnership=partnership, organization=organization, actor=actor)
    # Two people starting the same member's assessment at once: the second waits here, then finds the draft.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    drafts = Assessment.objects.filter(
        partnership=partnership, organization=organization, status=AssessmentStatus.DRAFT
    )
    if drafts.exists():
        raise Conflict(f"{organization} already has an assessment in progress.", code="draft_exists")
    template = checklist_template_current(key=expected)
    previous = (
        Assessment.objects.filter(partnership=partnership, organization=organization, status=AssessmentStatus.SUBMITTED)
        .order_by("-submitted_at", "-id")
        .first()
    )
    assessment = Assessment(
        partnership=partnership, organization=organization, template=template, previous=previous, started_by=actor
    )
    assessment.full_clean()
    assessment.save()
    AssessmentAnswer.objects.bulk_create(
        AssessmentAnswer(assessment=assessment, item=item) for item in template.items.all()
    )
    event_record(
        case=partnership.case,
        actor=actor,
        verb="assessment.started",
        data={"assessment": assessment.pk, "title": template.title, "organization": organization.name},
    )
    return assessment


def _locked_draft(assessment: Assessment, actor: User) -> Assessment:
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("partnership__case", "organization")
        .get(pk=assessment.pk)
    )
    _require_assessor(partnership=assessment.partnership, organization=assessment.organization, actor=actor)
    if assessment.is_locked:
        raise Conflict("This assessment was submitted and is locked; start a new one to re-assess.", code="locked")
    return assessment


def _apply(assessment: Assessment, answers: dict[int, dict]) -> list[AssessmentAnswer]:
    rows = {row.item_id: row for row in assessment.answers.select_related("item")}
    for item_id, given in answers.items():
        row = rows.get(item_id)
        if row is None:
            raise ServiceError(f"Item {item_id} is not on this checklist.", field="answers", code="unknown_item")
        value = given.get("answer", row.answer) or ""
        if value and value not in Answer.values:
            raise ServiceError(f"“{value}” is not an answer.", field="answers", code="invalid_answer")
        row.answer, row.note = value, (given.get("note", row.note) or "").strip()
        if len(row.note) > 2000:
            raise ServiceError("A note holds at most 2,000 characters.", field="answers", code="note_too_long")
    AssessmentAnswer.objects.bulk_update(rows.values(), ["answer", "note"])
    return sorted(rows.values(), key=lambda row: row.item.order)


@transaction.atomic
def assessment_save(*, assessment: Assessment, actor: User, answers: dict[int, dict]) -> Assessment:
    """Save answers mid-way ({item id: {"answer", "note"}}); the assessment stays a draft."""
    assessment = _locked_draft(assessment, actor)
    _apply(assessment, answers)
    assessment.updated_at = timezone.now()
    assessment.save(update_fields=["updated_at"])
    return assessment


@transaction.atomic
def assessment_submit(*, assessment: Assessment, actor: User, answers: dict[int, dict] | None = None) -> Assessment:
    """Save the last answers and submit: every item answered, the organization of the checklist's audience."""
    assessment = _locked_draft(assessment, actor)
    rows = _apply(assessment, answers or {})
    if assessment.template.audience != assessment.organization.kind:
        raise ServiceError(
            f"“{assessment.template.title}” is not the checklist for {assessment.organization}.",
            field="checklist",
            code="wrong_audience",
        )
    missing = [str(row.item.order) for row in rows if not row.answer]
    if missing:
        raise ServiceError(
            f"Answer every item before submitting (unanswered: {', '.join(missing)}).",
            field="answers",
            code="unanswered",
        )
    overall, _ = assessment_scores(answers=rows)
    now = timezone.now()
    assessment.status, assessment.submitted_by, assessment.submitted_at = AssessmentStatus.SUBMITTED, actor, now
    assessment.updated_at = now
    assessment.score = None if overall.percent is None else Decimal(str(overall.percent))
    assessment.full_clean()
    assessment.save()
    event_record(
        case=assessment.partnership.case,
        actor=actor,
        verb="assessment.submitted",
        data={
            "assessment": assessment.pk,
            "title": assessment.template.title,
            "organization": assessment.organization.name,
            "score": overall.percent,
        },
    )
    return assessment


GAP_TASK = "assessment_gap"  # Task.origin_kind of a task made from an assessment gap (origin_id: the answer)


def _gap(answer: AssessmentAnswer, actor: User) -> AssessmentAnswer:
    """The answer, locked and checked: a "no" or "partly" of a submitted assessment, and the actor may plan."""
    answer = (
        AssessmentAnswer.objects.select_for_update(of=("self",))
        .select_related(
            "assessment__partnership__case", "assessment__organization", "assessment__template", "item", "milestone"
        )
        .get(pk=answer.pk)
    )
    case_require(
        case=answer.assessment.partnership.case,
        user=actor,
        action=EDIT,
        message="Only partners who work on it can plan work.",
    )
    if not answer.assessment.is_locked:
        raise Conflict("Submit the assessment before planning work from it.", code="not_submitted")
    if answer.answer not in GAP_ANSWERS:
        raise ServiceError("Only a “no” or “partly” is a gap to plan.", field="answer", code="not_a_gap")
    return answer


def _gap_guidance(answer: AssessmentAnswer) -> str:
    assessment = answer.assessment
    note = f" Note: {answer.note}" if answer.note else ""
    return (
        f"{assessment.organization} answered “{answer.get_answer_display()}” to item {answer.item.order} "
        f"of the {assessment.template.title}.{note}"
    )


@transaction.atomic
def assessment_gap_task(
    *, answer: AssessmentAnswer, actor: User, assignee: User | None = None, due_date: date | None = None
) -> Task:
    """Turn a "no" or "partly" of a submitted assessment into a task for the organization that answered it.

    The task is for the whole organization unless `assignee` (one of its people) is named, is linked to the
    gap's milestone when there is one, and remembers the answer it came from (``origin_kind`` "assessment_gap").
    A gap has at most one unfinished task.
    """
    answer = _gap(answer, actor)
    if Task.objects.filter(origin_kind=GAP_TASK, origin_id=answer.pk, status__in=OPEN_STATUSES).exists():
        raise Conflict("This gap already has a task that is not finished.", code="already_tasked")
    title = f"Close the gap: {answer.item.text}"
    return task_create(
        case=answer.assessment.partnership.case,
        actor=actor,
        title=title if len(title) <= 200 else title[:199] + "…",
        description=_gap_guidance(answer),
        assignee=assignee,
        assignee_organization=None if assignee else answer.assessment.organization,
        due_date=due_date,
        milestone=answer.milestone,
        origin_kind=GAP_TASK,
        origin_id=answer.pk,
        origin_label=f"{answer.assessment.template.title}, item {answer.item.order}",
    )


@transaction.atomic
def assessment_gap_plan(*, answer: AssessmentAnswer, actor: User, due_date: date | None = None) -> Milestone:
    """Turn a "no" or "partly" of a submitted assessment into a milestone on the partnership, linked to its item."""
    answer = _gap(answer, actor)
    assessment, case = answer.assessment, answer.assessment.partnership.case
    if answer.milestone_id is not None:
        raise Conflict("This gap is already a milestone.", code="already_planned")
    milestone = milestone_add(
        case=case,
        actor=actor,
        item=answer.item,
        title=f"Close the gap: {answer.item.text}",
        guidance=_gap_guidance(answer),
        due_date=due_date,
        verb="assessment.gap_planned",
        data={"assessment": assessment.pk, "item": answer.item_id},
    )
    answer.milestone = milestone
    answer.save(update_fields=["milestone"])
    return milestone
