"""The stage machine of a JMHCP award (case kind "award"), registered in GrantsConfig.ready().

    offered ──accept──► planning ──begin_implementation──► implementation ──open_closeout──► closeout ──close──► closed
       ├──decline──► declined                                  closeout ──close_administratively (day 121)──► closed
       └──lapse──► lapsed ──reopen──► offered

Time moves an award too (grants/awards/clocks.py): closeout opens the day after the end date, an offer not
accepted in time lapses, and a closeout whose final reports never came is closed administratively on day 121.

An award whose category needs no planning phase passes through "planning" in the acceptance itself.
Accept and decline carry data and have their own service; the guards check the data is there, so the
generic transitions endpoint cannot skip it.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from grants import reporting
from grants.awards import clocks
from grants.models import Award, Report, ReportKind
from grants.rules import manages_grant, works_for_lead
from workflow.access import EDIT, REVIEW, VIEW
from workflow.machines import FLAG, Clock, Guard, Machine, Rule, Stage, Transition
from workflow.models import MilestoneStatus
from workflow.services import event_record

AWARD_KIND = "award"
FINAL_KINDS = (ReportKind.FINAL_PERFORMANCE, ReportKind.FINAL_PROGRESS, ReportKind.FINAL_FINANCIAL)


def is_authorized_representative(user, case) -> bool:
    return Award.objects.filter(case=case, authorized_representative=user).exists()


def administers_award(user, row) -> bool:
    """The award's Grant Award Administrator (one person of the lead), for a row of the award (a modification)."""
    return row.award.award_administrator_id == user.pk


def _accepted(case) -> bool:
    return Award.objects.filter(case=case, accepted_at__isnull=False).exists()


def _declined(case) -> bool:
    return Award.objects.filter(case=case, declined_at__isnull=False).exists()


def planning_done(case) -> bool:
    """No planning phase required, or every planning deliverable approved by BJA."""
    award = Award.objects.select_related("application__category").get(case=case)
    if not award.application.category.planning_required:
        return True
    items = Report.objects.filter(award=award, kind=ReportKind.PLANNING)
    return items.exists() and not items.exclude(milestone__status=MilestoneStatus.APPROVED).exists()


def _acceptance_due(case_ids: list[int]) -> dict:
    return dict(Award.objects.filter(case_id__in=case_ids).values_list("case_id", "acceptance_due"))


def _ended(case) -> bool:
    award = Award.objects.get(case=case)
    return reporting.local_today(timezone.now(), award.time_zone) >= reporting.closeout_opens(award.end)


def _finals_approved(case) -> bool:
    finals = Report.objects.filter(award__case=case, kind__in=FINAL_KINDS)
    return finals.exists() and not finals.exclude(milestone__status=MilestoneStatus.APPROVED).exists()


def _finals_owed(case) -> bool:
    return not _finals_approved(case)


def _finals_unsubmitted(case) -> bool:
    return Report.objects.filter(award__case=case, kind__in=FINAL_KINDS, first_submitted_on__isnull=True).exists()


def _reopen_acceptance(*, case, actor, event) -> None:
    """on_enter "offered" (BJA reopened a lapsed offer): a new acceptance window from today, where the award is."""
    award = Award.objects.get(case=case)
    award.acceptance_due = reporting.acceptance_due(
        reporting.local_today(timezone.now(), award.time_zone), settings.AWARD_ACCEPTANCE_DAYS
    )
    award.save(update_fields=["acceptance_due"])
    event_record(
        case=case, actor=actor, verb="award.acceptance_reopened", data={"acceptance_due": str(award.acceptance_due)}
    )


def _lead_or_manager(user, case) -> bool:
    return works_for_lead(user, case) or manages_grant(user, case)


AUTHORIZED_REPRESENTATIVE = Rule(
    "Only the award's Authorized Representative accepts or declines it.", is_authorized_representative
)
GRANT_MANAGER = Rule("Only the award's BJA grant manager does this.", manages_grant)
LEAD_STAFF = Rule("Only the lead agency's staff (an admin or member) starts implementation.", works_for_lead)


REPORT_OWNED = "Reports move through their own page: drafted, approved by the lead agency, then by BJA."


def _report_owner(milestones) -> dict[int, str]:
    # A report goes drafter -> lead agency -> BJA on its own page; the generic endpoints would skip a step.
    reports = Report.objects.filter(milestone__in=[milestone.pk for milestone in milestones])
    return dict.fromkeys(reports.values_list("milestone_id", flat=True), REPORT_OWNED)


def _describe_event(event) -> str | None:
    """The award's own timeline words; None leaves the engine's."""
    if event.verb != "report.scheduled":
        return None
    data, actor = event.data or {}, str(event.actor) if event.actor_id else "System"
    try:
        due = date.fromisoformat(data.get("due") or "")
    except ValueError:
        return f"{actor} scheduled “{data.get('title', 'a report')}”."
    return f"{actor} scheduled “{data.get('title', 'a report')}”, due {due:%b} {due.day}, {due.year}."


MACHINE = Machine(
    kind=AWARD_KIND,
    label="JMHCP award",
    describe_event=_describe_event,
    milestone_owner=_report_owner,
    initial="offered",
    stages=[
        Stage(
            "offered",
            "Offered: waiting for acceptance",
            waits_on=("authorized_representative",),  # grants/waiting.py registers the role
            action="Accept or decline the award",
            due=_acceptance_due,
            on=("award.made", "award.roles_assigned"),
        ),
        Stage("planning", "Planning phase"),
        Stage("implementation", "Implementation"),
        Stage("closeout", "Closeout"),
        Stage("closed", "Closed", terminal=True),
        Stage("declined", "Declined", terminal=True),
        Stage("lapsed", "Lapsed: not accepted in time"),
    ],
    transitions=[
        Transition(
            "accept",
            "Accept the award",
            ("offered",),
            "planning",
            EDIT,
            (AUTHORIZED_REPRESENTATIVE,),
            (Guard("Record the acceptance (the acceptance form).", _accepted),),
        ),
        Transition(
            "decline",
            "Decline the award",
            ("offered",),
            "declined",
            EDIT,
            (AUTHORIZED_REPRESENTATIVE,),
            (Guard("Record the decline with its reason (the decline form).", _declined),),
            comment_required=True,
            confirm="Declining is final: the award can no longer be accepted and its funds return to BJA.",
        ),
        Transition(
            "lapse",
            "Lapse (not accepted in time)",
            ("offered",),
            "lapsed",
            REVIEW,
            clock=Clock(clocks.acceptance_lapsing, system_only=True),
        ),
        Transition(
            "reopen",
            "Reopen the offer",
            ("lapsed",),
            "offered",
            REVIEW,
            (GRANT_MANAGER,),
            comment_required=True,
        ),
        Transition(
            "begin_implementation",
            "Start implementation",
            ("planning",),
            "implementation",
            EDIT,
            (LEAD_STAFF,),
            (Guard("Implementation is locked until BJA approves every planning deliverable.", planning_done),),
        ),
        Transition(
            "open_closeout",
            "Open closeout",
            ("planning", "implementation"),
            "closeout",
            VIEW,
            (Rule("Only the lead agency's staff or the grant manager opens closeout.", _lead_or_manager),),
            (Guard("Closeout opens the day after the award's end date.", _ended),),
            clock=Clock(clocks.closeout_opening),
        ),
        Transition(
            "close",
            "Close the award",
            ("closeout",),
            "closed",
            REVIEW,
            (GRANT_MANAGER,),
            # Closing with final reports still owed is BJA's call, with the reason on the record.
            comment_required=_finals_owed,
            confirm="Closing is final: no report, payment or modification can be recorded on the award afterwards.",
            clock=Clock(
                clocks.closeout_ending, policy=FLAG, name=clocks.ENDING, verb=clocks.CLOCK_VERB, stages=("closeout",)
            ),
        ),
        Transition(
            "close_administratively",
            "Close administratively",
            ("closeout",),
            "closed",
            REVIEW,
            guards=(Guard("Only final reports never submitted close an award administratively.", _finals_unsubmitted),),
            clock=Clock(clocks.closeout_lapsed, system_only=True),
        ),
    ],
    on_enter={"offered": [_reopen_acceptance]},
    # By case id, so a list of cases needs no query per row; the page redirects to the award.
    page_url=lambda case: reverse("grants-case", args=[case.pk]),
)

DEDICATED = frozenset({"accept", "decline"})
