"""A small stage machine used only by the workflow tests (the engine knows no grant or partnership)."""

from datetime import timedelta

from workflow import checklists
from workflow.access import MANAGE, REVIEW
from workflow.checklists import ItemSpec, milestones_approved
from workflow.machines import FLAG, Clock, Due, Guard, Machine, Rule, Stage, Transition, registry
from workflow.models import Case, ParticipantRole

KIND = "sample_request"
entered: list[tuple[int, str]] = []
committed: list[int] = []

PREP_ITEMS = [
    ItemSpec("Program narrative drafted", due_offset_days=14),
    ItemSpec("MOU signed by both partners", due_offset_days=21, joint=True),
    ItemSpec("Budget reviewed by BJA", due_offset_days=30, needs_bja_approval=True),
    ItemSpec("Letters of support", required=False),
]


def _has_partner(case) -> bool:
    return case.participations.filter(role__in=[ParticipantRole.CO_APPLICANT, ParticipantRole.PARTNER]).exists()


def _is_lead_member(user, case) -> bool:
    return case.organization.memberships.filter(user=user, is_active=True).exists()


# A submitted request nobody starts reviewing lapses LAPSE_AFTER after it was opened; a week before, it is flagged.
LAPSE_AFTER = timedelta(days=30)
FLAG_AFTER = timedelta(days=23)


def _lapsing(now):
    for case_id, opened in Case.objects.filter(
        kind=KIND, stage="submitted", opened_at__lte=now - LAPSE_AFTER
    ).values_list("id", "opened_at"):
        yield Due(case_id, f"nobody started the review within 30 days of {opened:%b %-d, %Y}")


def _lapsing_soon(now):
    for case_id in Case.objects.filter(kind=KIND, stage="submitted", opened_at__lte=now - FLAG_AFTER).values_list(
        "id", flat=True
    ):
        yield Due(case_id, "the request lapses in a week unless its review starts")


MACHINE = Machine(
    kind=KIND,
    label="Sample request",
    initial="draft",
    stages=[
        Stage("draft", "Draft"),
        Stage("submitted", "Submitted"),
        Stage("in_review", "In review"),
        Stage("approved", "Approved", terminal=True),
        Stage("rejected", "Rejected", terminal=True),
        Stage("withdrawn", "Withdrawn", terminal=True),
        Stage("lapsed", "Lapsed"),
    ],
    transitions=[
        Transition(
            "submit",
            "Submit",
            ("draft",),
            "submitted",
            rules=(Rule("Only the lead organization submits.", _is_lead_member),),
            guards=(
                Guard("A co-applicant or partner organization must take part.", _has_partner),
                milestones_approved("prep", "Every required preparation milestone must be approved."),
            ),
        ),
        Transition("start_review", "Start review", ("submitted",), "in_review", permission=REVIEW),
        Transition("return", "Return to applicant", ("in_review",), "draft", permission=REVIEW),
        Transition("approve", "Approve", ("in_review",), "approved", permission=REVIEW),
        Transition("reject", "Reject", ("in_review",), "rejected", permission=REVIEW),
        Transition("withdraw", "Withdraw", ("draft", "submitted"), "withdrawn", permission=MANAGE),
        Transition(
            "abandon",
            "Abandon",
            ("draft", "submitted", "lapsed"),
            "withdrawn",
            permission=MANAGE,
            comment_required=True,
            confirm="Abandoning is final.",
        ),
        Transition(
            "lapse", "Lapse", ("submitted",), "lapsed", permission=REVIEW, clock=Clock(_lapsing, system_only=True)
        ),
        Transition("reopen", "Reopen", ("lapsed",), "submitted", permission=REVIEW, comment_required=True),
    ],
    clocks=[Clock(_lapsing_soon, policy=FLAG, name="lapsing_soon", stages=("submitted",))],
    on_enter={"approved": [lambda case, actor, event: entered.append((case.pk, "approved"))]},
    after_commit={"approved": [lambda case_id, event_id: committed.append(case_id)]},
)

registry.register(MACHINE)


def approve_preparation(case, *, member, admin, partner, grant_manager) -> None:
    """Take every required "prep" milestone to approved through the services, as the people on the case would."""
    narrative, mou, budget = case.milestones.filter(template__key="prep", required=True).order_by("order")
    for milestone in (narrative, mou, budget):
        checklists.milestone_submit(milestone=milestone, actor=member, note="Done.")
    checklists.milestone_sign_off(milestone=mou, actor=admin)
    checklists.milestone_sign_off(milestone=mou, actor=partner)
    checklists.milestone_approve(milestone=narrative, actor=admin)
    checklists.milestone_approve(milestone=mou, actor=admin)
    checklists.milestone_approve(milestone=budget, actor=grant_manager)
