"""What the partnership page and the assessment page show: the workflow sections' context plus ours.

Which forms to offer is decided here only to keep useless buttons off the
page; the services check every action again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest

from partnerships import charts, forms
from partnerships.choices import ASSESSMENT_CHECKLISTS, GAP_ANSWERS, AssessmentStatus
from partnerships.models import Agreement, AgreementStatus, Assessment, AssessmentAnswer, Partnership, PartnershipMember
from partnerships.selectors.assessments import (
    assessment_comparison,
    assessment_scores,
    assessment_trend,
    partnership_assessments,
)
from partnerships.selectors.partnerships import agreement_list, local_today
from partnerships.services.assessments import GAP_TASK
from tasks.models import OPEN_STATUSES, Task
from workflow.access import EDIT, MANAGE, acting_organizations
from workflow.corrections import author_organizations
from workflow.participants import lead_admin
from workflow.views import case_page_context


@dataclass
class AgreementRow:
    agreement: Agreement
    status: str
    status_label: str
    sign_for: list = field(default_factory=list)
    can_correct: bool = False  # The reader works for the organization that recorded it.


@dataclass
class MemberRow:
    member: PartnershipMember
    latest: Assessment | None = None
    draft: Assessment | None = None
    can_start: bool = False


def without_side_stages(context: dict, hidden: set[str]) -> None:
    """Leave side stages (paused) out of the stage bar unless the case is in one."""
    stages = [stage for stage in context["stages"] if stage["name"] not in hidden or stage["state"] == "current"]
    context["stages"] = stages
    context["stage_position"] = next((i for i, s in enumerate(stages, 1) if s["state"] == "current"), None)


def partnership_page_context(request: HttpRequest, partnership: Partnership) -> dict:
    case = partnership.case
    context = case_page_context(request=request, case=case)
    without_side_stages(context, {"paused"})
    # One "resume" per stage exists; only the one back to where it was paused is worth showing.
    context["transitions"] = [
        t for t in context["transitions"] if not t.name.startswith("resume_") or t.target == partnership.paused_from
    ]
    user = request.user
    working = {org.pk for org in acting_organizations(user=user, case=case, action=EDIT)}
    signing = {org.pk for org in acting_organizations(user=user, case=case, action=MANAGE)}
    today = local_today(case.organization)

    agreements = list(agreement_list(partnership=partnership))
    authors = author_organizations(agreement.created_by_id for agreement in agreements) if working else {}
    agreement_rows = []
    for agreement in agreements:
        status = agreement.status(today)
        unsigned = [party.organization for party in agreement.parties.all() if party.signed_on is None]
        row = AgreementRow(agreement, status, AgreementStatus(status).label)
        row.sign_for = [organization for organization in unsigned if organization.pk in signing]
        row.can_correct = bool(working & authors.get(agreement.created_by_id, set()))
        agreement_rows.append(row)

    assessments = list(partnership_assessments(partnership=partnership))
    member_rows = []
    for member in partnership.members.all():
        own = [a for a in assessments if a.organization_id == member.organization_id]
        row = MemberRow(member)
        row.draft = next((a for a in own if a.status == AssessmentStatus.DRAFT), None)
        row.latest = max(
            (a for a in own if a.status == AssessmentStatus.SUBMITTED), key=lambda a: a.submitted_at, default=None
        )
        row.can_start = (
            row.draft is None
            and member.organization_id in working
            and member.organization.kind in ASSESSMENT_CHECKLISTS
        )
        member_rows.append(row)

    trend = assessment_trend(partnership=partnership)
    current = {member.organization_id for member in partnership.members.all()}
    removed = {}
    for event in context["timeline"]:  # Already read for the page: who was removed and is not back.
        if event.verb == "participant.removed" and event.data.get("organization_id") not in current:
            removed[event.data.get("organization_id")] = event.data
    context.update(
        can_manage_members=MANAGE in context["rights"],
        # Only the lead agency's admins remove or restore a member (workflow.participants): no dead buttons.
        can_remove_members=MANAGE in context["rights"] and lead_admin(user=user, case=case),
        removed_members=list(removed.items()),
        partnership=partnership,
        members=member_rows,
        agreements=agreement_rows,
        assessments=assessments,
        trend=trend,
        trend_chart=charts.trend_chart(trend) if trend else None,
        sign_form=forms.SignForm(initial={"signed_on": today}),
        can_record_agreement=EDIT in context["rights"],
        no_health_data=forms.NO_HEALTH_DATA,
    )
    return context


@dataclass
class ItemRow:
    answer: AssessmentAnswer
    field: object
    note: object
    change: str | None = None
    before: str | None = None
    can_plan: bool = False
    can_task: bool = False
    task: object = None  # The gap's unfinished task, if it has one.


def assessment_page_context(
    request: HttpRequest,
    partnership: Partnership,
    assessment: Assessment,
    answers: list[AssessmentAnswer],
    form: forms.AssessmentForm,
) -> dict:
    case = partnership.case
    working = acting_organizations(user=request.user, case=case, action=EDIT)
    can_answer = not assessment.is_locked and assessment.organization_id in {org.pk for org in working}
    overall, elements = assessment_scores(answers=answers)
    comparison = assessment_comparison(assessment=assessment, answers=answers) if assessment.is_locked else None
    changes = {change.order: change for change in comparison.items} if comparison else {}
    element_changes = {change.key: change for change in comparison.elements} if comparison else {}
    tasks = {
        task.origin_id: task
        for task in Task.objects.filter(
            origin_kind=GAP_TASK, origin_id__in=[answer.pk for answer in answers], status__in=OPEN_STATUSES
        )
    }
    rows = []
    for answer, bound, note in form.rows:
        row = ItemRow(answer, bound, note)
        if answer.item.order in changes:
            row.change, row.before = changes[answer.item.order].change, changes[answer.item.order].before
        gap = bool(working) and assessment.is_locked and answer.answer in GAP_ANSWERS
        row.can_plan = gap and not answer.milestone_id
        row.task = tasks.get(answer.pk)
        row.can_task = gap and row.task is None
        rows.append(row)
    return {
        "partnership": partnership,
        "case": case,
        "assessment": assessment,
        "form": form,
        "rows": rows,
        "can_answer": can_answer,
        # After submitting, the assessed organization still corrects a note (the score stays).
        "can_correct": assessment.is_locked and assessment.organization_id in {org.pk for org in working},
        # A form sent back with an error shows the answers as ticked, so it counts them too, not the saved ones.
        "answered": (
            sum(1 for _, bound, _ in form.rows if bound.value())
            if form.is_bound
            else sum(1 for a in answers if a.answer)
        ),
        "total": len(answers),
        "overall": overall,
        "elements": [(score, element_changes.get(score.key)) for score in elements],
        "comparison": comparison,
        "gap_form": forms.GapForm(),
    }
