"""The stage machines of partnerships and TA requests, registered with the workflow engine in apps.ready()."""

from __future__ import annotations

from django.urls import reverse

from partnerships import rules
from partnerships.choices import PLANNING_CHECKLIST
from partnerships.events import describe_event
from partnerships.models import PARTNERSHIP_KIND, TA_REQUEST_KIND, Partnership, TARequest
from partnerships.selectors.partnerships import partnership_assessment_kinds_missing, partnership_has_mou_in_force
from partnerships.services.agreements import agreements_expired
from partnerships.services.ta import ta_acknowledge_missed, ta_match_missed
from partnerships.waiting import acknowledge_due, match_due
from workflow.access import EDIT, MANAGE, VIEW
from workflow.checklists import checklist_instantiate, checklist_template_current, milestones_approved
from workflow.machines import FLAG, Clock, Guard, Machine, Rule, Stage, Transition
from workflow.models import Milestone

ACTIVE_STAGES = [
    Stage("exploring", "Exploring"),
    Stage("planning", "Planning"),
    Stage("implementing", "Implementing"),
    Stage("operating", "Operating"),
    Stage("sustaining", "Sustaining"),
]
ACTIVE = tuple(stage.name for stage in ACTIVE_STAGES)

MOU_IN_FORCE = Guard(
    "A memorandum of understanding signed by the lead agency and at least one behavioral health partner "
    "must be in force.",
    lambda case: partnership_has_mou_in_force(partnership=case.partnership),
)
ASSESSMENTS_DONE = Guard(
    "Every kind of member (law enforcement, behavioral health, and the jurisdiction government when it takes "
    "part) must have submitted an assessment.",
    lambda case: not partnership_assessment_kinds_missing(partnership=case.partnership),
)
LEAD_ADMIN = Rule("Only an administrator of the lead agency can dissolve the partnership.", rules.is_lead_admin)


def _resume(stage: Stage) -> Transition:
    """A paused partnership goes back to where it was: one transition per stage, only the matching one open."""
    return Transition(
        f"resume_{stage.name}",
        f"Resume (back to {stage.label})",
        ("paused",),
        stage.name,
        permission=MANAGE,
        guards=(
            Guard(
                f"The partnership was not paused in {stage.label}.",
                lambda case, name=stage.name: case.partnership.paused_from == name,
            ),
        ),
    )


def _add_planning_checklist(*, case, actor, event) -> None:
    # Entering planning again after a pause must not add the checklist twice.
    template = checklist_template_current(key=PLANNING_CHECKLIST)
    if not Milestone.objects.filter(case=case, template__key=PLANNING_CHECKLIST).exists():
        checklist_instantiate(case=case, template=template, actor=actor)


def _remember_paused_stage(*, case, actor, event) -> None:
    Partnership.objects.filter(case=case).update(paused_from=event.data["from"])


PARTNERSHIP_MACHINE = Machine(
    kind=PARTNERSHIP_KIND,
    label="Partnership",
    page_url=lambda case: reverse("partnership-detail", args=[case.partnership.pk]),
    page_related=("partnership",),
    describe_event=describe_event,
    initial="exploring",
    stages=[*ACTIVE_STAGES, Stage("paused", "Paused"), Stage("dissolved", "Dissolved", terminal=True)],
    transitions=[
        Transition("start_planning", "Start planning", ("exploring",), "planning", permission=EDIT),
        Transition(
            "start_implementing",
            "Start implementing",
            ("planning",),
            "implementing",
            permission=EDIT,
            guards=(
                MOU_IN_FORCE,
                milestones_approved(PLANNING_CHECKLIST, "Every required planning milestone must be approved."),
            ),
        ),
        Transition(
            "start_operating",
            "Start operating",
            ("implementing",),
            "operating",
            permission=EDIT,
            guards=(ASSESSMENTS_DONE,),
        ),
        Transition("start_sustaining", "Start sustaining", ("operating",), "sustaining", permission=EDIT),
        Transition("pause", "Pause", ACTIVE, "paused", permission=MANAGE),
        *(_resume(stage) for stage in ACTIVE_STAGES),
        Transition(
            "dissolve",
            "Dissolve",
            (*ACTIVE, "paused"),
            "dissolved",
            permission=MANAGE,
            rules=(LEAD_ADMIN,),
            comment_required=True,
            confirm="Dissolving is final: the partnership closes for every member and cannot be resumed.",
        ),
    ],
    clocks=[Clock(agreements_expired, policy=FLAG, name="agreement_expired", verb="agreement.expired")],
    on_enter={"planning": [_add_planning_checklist], "paused": [_remember_paused_stage]},
)


COORDINATOR = Rule(
    "Only a TA coordinator (staff of a Learning Site the request is offered to, or BJA) can do this.",
    rules.is_ta_coordinator,
)
MATCHED_SITE = Rule("Only the matched Learning Site (or BJA) can do this.", rules.is_matched_site_staff)
REQUESTER = Rule("Only the requesting organization can withdraw its request.", rules.is_requester_staff)
REQUESTER_OR_COORDINATOR = Rule(
    "Only the requesting organization or a TA coordinator can close the request.", rules.is_requester_or_coordinator
)


def _stamp(field: str):
    def hook(*, case, actor, event) -> None:
        TARequest.objects.filter(case=case).update(**{field: event.created_at})

    return hook


TA_REQUEST_MACHINE = Machine(
    kind=TA_REQUEST_KIND,
    label="TA request",
    page_url=lambda case: reverse("ta-detail", args=[case.ta_request.pk]),
    page_related=("ta_request",),
    describe_event=describe_event,
    initial="received",
    stages=[
        # The Learning Site's coordinators acknowledge, then match, each on its clock (workflow.routing).
        Stage(
            "received",
            "Received",
            waits_on=("ta_coordinators",),
            action="Acknowledge the TA request",
            due=acknowledge_due,
        ),
        Stage(
            "acknowledged",
            "Acknowledged",
            waits_on=("ta_coordinators",),
            action="Match the TA request with a Learning Site",
            due=match_due,
        ),
        Stage("matched", "Matched"),
        Stage("scheduled", "Scheduled"),
        Stage("delivered", "Delivered"),
        Stage("closed", "Closed", terminal=True),
        Stage("declined", "Declined", terminal=True),
        Stage("withdrawn", "Withdrawn", terminal=True),
    ],
    transitions=[
        Transition("acknowledge", "Acknowledge", ("received",), "acknowledged", permission=VIEW, rules=(COORDINATOR,)),
        Transition(
            "match",
            "Match with a Learning Site",
            ("acknowledged",),
            "matched",
            permission=VIEW,
            rules=(COORDINATOR,),
            guards=(Guard("Choose the Learning Site first.", lambda case: case.ta_request.matched_site_id),),
        ),
        Transition(
            "schedule",
            "Schedule",
            ("matched",),
            "scheduled",
            permission=VIEW,
            rules=(MATCHED_SITE,),
            guards=(Guard("Set the date first.", lambda case: case.ta_request.scheduled_for is not None),),
        ),
        Transition(
            "deliver",
            "Mark delivered",
            ("matched", "scheduled"),
            "delivered",
            permission=VIEW,
            rules=(MATCHED_SITE,),
            guards=(Guard("Record what was delivered first.", lambda case: case.ta_request.deliveries.exists()),),
        ),
        Transition("close", "Close", ("delivered",), "closed", permission=VIEW, rules=(REQUESTER_OR_COORDINATOR,)),
        Transition(
            "decline",
            "Decline",
            ("received", "acknowledged", "matched"),
            "declined",
            permission=VIEW,
            rules=(COORDINATOR,),
        ),
        Transition(
            "withdraw",
            "Withdraw",
            ("received", "acknowledged", "matched", "scheduled"),
            "withdrawn",
            permission=VIEW,
            rules=(REQUESTER,),
            comment_required=True,
            confirm="Withdrawing is final: the request closes and the Learning Site stops working on it.",
        ),
    ],
    clocks=[
        Clock(
            ta_acknowledge_missed, policy=FLAG, name="acknowledge_missed", verb="ta.clock_missed", stages=("received",)
        ),
        Clock(
            ta_match_missed,
            policy=FLAG,
            name="match_missed",
            verb="ta.clock_missed",
            stages=("received", "acknowledged"),
        ),
    ],
    on_enter={"acknowledged": [_stamp("acknowledged_at")], "matched": [_stamp("matched_at")]},
)
