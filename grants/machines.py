"""The stage machine of a JMHCP application (case kind "application"), registered in GrantsConfig.ready().

    draft ──submit──► submitted ──► completeness review ──► peer review ──► financial review ──► decision
      ▲                                 │        │                                               │     │
      └────── return to the applicant ──┘        └──► rejected (incomplete, after the deadline)  ▼     ▼
                                                                                            awarded  not funded
    draft, submitted ──withdraw──► withdrawn

Steps that carry data (submit, the completeness finding, the decision) are fired by the grants services,
which record the data and move the case in one transaction; the guards below check that the data is there,
so the generic transitions endpoint cannot skip it.
"""

from __future__ import annotations

from django.urls import reverse

from grants.awards.services.award import award_created_hook
from grants.models import Application, AssignmentStatus, CompletenessOutcome, CompletenessReview, Decision, Outcome
from grants.rules import APPLICATION_KIND, administers_lead, manages_grant, on_time, works_for_lead
from grants.selectors.applications import application_readiness
from grants.services.submission import application_entered_draft, application_entered_submitted
from grants.waiting import application_due
from workflow.access import EDIT, MANAGE, REVIEW
from workflow.machines import Guard, Machine, Rule, Stage, Transition
from workflow.roles import GRANT_MANAGERS, LEAD_MEMBERS


def _application(case) -> Application:
    return Application.objects.select_related("solicitation", "category", "case").get(case=case)


def _ready(case) -> bool:
    return application_readiness(application=_application(case)).ready


def _before_deadline(case) -> bool:
    return on_time(_application(case).solicitation.justgrants_deadline)


def _after_deadline(case) -> bool:
    return not _before_deadline(case)


def _completeness(outcome: str):
    def check(case) -> bool:
        application = _application(case)
        return CompletenessReview.objects.filter(
            application=application, round=application.submission_round, outcome=outcome
        ).exists()

    return check


def _reviews_submitted(case) -> bool:
    return Application.objects.filter(case=case, review_assignments__status=AssignmentStatus.SUBMITTED).exists()


def _no_review_outstanding(case) -> bool:
    outstanding = [AssignmentStatus.ASSIGNED, AssignmentStatus.DECLARED]
    return not Application.objects.filter(case=case, review_assignments__status__in=outstanding).exists()


def _decided(outcome: str):
    return lambda case: Decision.objects.filter(application__case=case, outcome=outcome).exists()


LEAD_SUBMITS = Rule("Only the lead applicant's staff (an admin or member) submit the application.", works_for_lead)
LEAD_WITHDRAWS = Rule("Only an admin of the lead applicant withdraws the application.", administers_lead)
GRANT_MANAGER = Rule("Only a BJA grant manager for this application does this.", manages_grant)
BEFORE_DEADLINE = Guard("The JustGrants deadline has passed.", _before_deadline)


def _describe_event(event) -> str | None:
    """The application's own timeline words (a reviewer removed, read by BJA only); None leaves the engine's."""
    if event.verb != "review.reviewer_removed":
        return None
    data, actor = event.data or {}, str(event.actor) if event.actor_id else "System"
    sentence = f"{actor} removed {data.get('reviewer', 'a peer reviewer')} from the peer review"
    return f"{sentence} — {data['reason']}" if data.get("reason") else f"{sentence}."


MACHINE = Machine(
    kind=APPLICATION_KIND,
    label="JMHCP application",
    describe_event=_describe_event,
    initial="draft",
    stages=[
        # Who acts next at each stage (workflow.routing): the queue and the hand-off notifications read it.
        Stage(
            "draft",
            "Draft",
            waits_on=(LEAD_MEMBERS.key,),
            action="Complete and submit the application",
            due=application_due,
        ),
        Stage("submitted", "Submitted", waits_on=(GRANT_MANAGERS.key,), action="Start the completeness review"),
        Stage(
            "completeness_review",
            "Completeness review",
            waits_on=(GRANT_MANAGERS.key,),
            action="Record the completeness finding",
        ),
        Stage("peer_review", "Peer review"),  # Waits on each reviewer, then the grant managers: grants/waiting.py.
        Stage(
            "financial_review",
            "Financial review",
            waits_on=(GRANT_MANAGERS.key,),
            action="Complete the financial review",
        ),
        Stage("decision", "Decision", waits_on=(GRANT_MANAGERS.key,), action="Decide on funding"),
        Stage("awarded", "Awarded", terminal=True),
        Stage("not_funded", "Not funded", terminal=True),
        Stage("rejected", "Rejected as incomplete", terminal=True),
        Stage("withdrawn", "Withdrawn", terminal=True),
    ],
    transitions=[
        Transition(
            "submit",
            "Submit in JustGrants",
            ("draft",),
            "submitted",
            permission=EDIT,
            rules=(LEAD_SUBMITS,),
            guards=(
                Guard("Everything on the submission checklist must be done, signed by every applicant.", _ready),
                BEFORE_DEADLINE,
            ),
        ),
        Transition(
            "withdraw",
            "Withdraw the application",
            ("draft", "submitted"),
            "withdrawn",
            MANAGE,
            (LEAD_WITHDRAWS,),
            comment_required=True,
            confirm="Withdrawing is final: the application leaves the competition and cannot be submitted again.",
        ),
        Transition(
            "begin_completeness_review",
            "Start the completeness review",
            ("submitted",),
            "completeness_review",
            REVIEW,
            (GRANT_MANAGER,),
        ),
        Transition(
            "accept_complete",
            "Find it complete",
            ("completeness_review",),
            "peer_review",
            REVIEW,
            (GRANT_MANAGER,),
            (Guard("Record the completeness finding first.", _completeness(CompletenessOutcome.COMPLETE)),),
        ),
        Transition(
            "return_to_draft",
            "Return to the applicant",
            ("completeness_review",),
            "draft",
            REVIEW,
            (GRANT_MANAGER,),
            (
                Guard("Record what is missing first.", _completeness(CompletenessOutcome.RETURNED)),
                Guard(
                    "After the JustGrants deadline an incomplete application is rejected, not returned.",
                    _before_deadline,
                ),
            ),
            comment_required=True,
        ),
        Transition(
            "reject_incomplete",
            "Reject as incomplete",
            ("completeness_review",),
            "rejected",
            REVIEW,
            (GRANT_MANAGER,),
            (
                Guard("Record what is missing first.", _completeness(CompletenessOutcome.REJECTED)),
                Guard(
                    "Before the JustGrants deadline an incomplete application is returned to the applicant.",
                    _after_deadline,
                ),
            ),
        ),
        Transition(
            "close_peer_review",
            "Close the peer review",
            ("peer_review",),
            "financial_review",
            REVIEW,
            (GRANT_MANAGER,),
            (
                Guard("At least one peer review must be submitted.", _reviews_submitted),
                Guard("Every assigned reviewer must submit a review or recuse.", _no_review_outstanding),
            ),
        ),
        Transition(
            "complete_financial_review",
            "Complete the financial review",
            ("financial_review",),
            "decision",
            REVIEW,
            (GRANT_MANAGER,),
        ),
        Transition(
            "award",
            "Award",
            ("decision",),
            "awarded",
            REVIEW,
            (GRANT_MANAGER,),
            (Guard("Record the award amount, date and conditions (the award form).", _decided(Outcome.AWARDED)),),
        ),
        Transition(
            "not_fund",
            "Do not fund",
            ("decision",),
            "not_funded",
            REVIEW,
            (GRANT_MANAGER,),
            (Guard("Record the decision not to fund, with its reason.", _decided(Outcome.NOT_FUNDED)),),
        ),
    ],
    # By case id, so a list of cases needs no query per row; /grants/cases/{id}/ redirects to the application.
    page_url=lambda case: reverse("grants-case", args=[case.pk]),
    on_enter={
        "submitted": [application_entered_submitted],
        "draft": [application_entered_draft],
        # Opens the award case inside the "award" transition, after the Decision row (amount, date, conditions)
        # is written: a failure rolls the decision and the transition back with it.
        "awarded": [award_created_hook],
    },
)

# Transitions that carry data and so have their own form and service; the page offers the rest generically.
DEDICATED = frozenset({"submit", "accept_complete", "return_to_draft", "reject_incomplete", "award", "not_fund"})
