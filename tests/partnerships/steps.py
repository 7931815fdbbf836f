"""Steps the partnership tests take often, through the services (each as its own user would)."""

from __future__ import annotations

from datetime import timedelta

from partnerships.choices import Answer
from partnerships.models import Agreement, Assessment
from partnerships.services.agreements import agreement_create, agreement_sign
from partnerships.services.assessments import assessment_start, assessment_submit
from tests.factories import organization_today
from workflow.checklists import milestone_approve, milestone_submit
from workflow.models import Milestone


def sign_mou(partnership, first_actor, second_actor, first_org, second_org, **dates) -> Agreement:
    dates.setdefault("effective_date", organization_today() - timedelta(days=1))
    agreement = agreement_create(
        partnership=partnership,
        actor=first_actor,
        kind="mou",
        title="Co-responder MOU",
        parties=[first_org, second_org],
        **dates,
    )
    agreement_sign(agreement=agreement, organization=first_org, actor=first_actor)
    agreement_sign(agreement=agreement, organization=second_org, actor=second_actor)
    return agreement


def approve_planning(partnership, submitter, approver) -> None:
    for milestone in Milestone.objects.filter(case=partnership.case, template__key="pmhc-planning"):
        milestone_submit(milestone=milestone, actor=submitter, note="Done with our TA provider.")
        milestone_approve(milestone=milestone, actor=approver)


def submit_assessment(partnership, organization, actor, answer=Answer.YES, **by_order) -> Assessment:
    """Answer every item `answer`, except items given by order (`item_3="no"`)."""
    assessment = assessment_start(partnership=partnership, organization=organization, actor=actor)
    answers = {
        row.item_id: {"answer": by_order.get(f"item_{row.item.order}", answer), "note": ""}
        for row in assessment.answers.select_related("item")
    }
    return assessment_submit(assessment=assessment, actor=actor, answers=answers)
