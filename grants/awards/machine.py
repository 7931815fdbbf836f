"""The stage machine of a JMHCP award (case kind "award"), registered in GrantsConfig.ready().

    offered ──accept──► planning ──begin_implementation──► implementation ──open_closeout──► closeout ──close──► closed
       └──decline──► declined

An award whose category needs no planning phase passes through "planning" in the acceptance itself.
Accept and decline carry data and have their own service; the guards check the data is there, so the
generic transitions endpoint cannot skip it.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from grants import reporting
from grants.models import Award, Report, ReportKind
from grants.rules import manages_grant, works_for_lead
from workflow.access import EDIT, REVIEW, VIEW
from workflow.machines import Guard, Machine, Rule, Stage, Transition
from workflow.models import MilestoneStatus

AWARD_KIND = "award"
FINAL_KINDS = (ReportKind.FINAL_PERFORMANCE, ReportKind.FINAL_PROGRESS, ReportKind.FINAL_FINANCIAL)


def is_authorized_representative(user, case) -> bool:
    return Award.objects.filter(case=case, authorized_representative=user).exists()


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


def _lead_or_manager(user, case) -> bool:
    return works_for_lead(user, case) or manages_grant(user, case)


AUTHORIZED_REPRESENTATIVE = Rule(
    "Only the award's Authorized Representative accepts or declines it.", is_authorized_representative
)
GRANT_MANAGER = Rule("Only the award's BJA grant manager does this.", manages_grant)
LEAD_STAFF = Rule("Only the lead agency's staff (an admin or member) starts implementation.", works_for_lead)


def _report_owner(milestone) -> str | None:
    # A report goes drafter -> lead agency -> BJA on its own page; the generic endpoints would skip a step.
    if Report.objects.filter(milestone=milestone).exists():
        return "Reports move through their own page: drafted, approved by the lead agency, then by BJA."
    return None


MACHINE = Machine(
    kind=AWARD_KIND,
    label="JMHCP award",
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
        ),
        Transition(
            "close",
            "Close the award",
            ("closeout",),
            "closed",
            REVIEW,
            (GRANT_MANAGER,),
            (Guard("BJA must approve the final performance, progress and financial reports.", _finals_approved),),
        ),
    ],
    # By case id, so a list of cases needs no query per row; the page redirects to the award.
    page_url=lambda case: reverse("grants-case", args=[case.pk]),
)

DEDICATED = frozenset({"accept", "decline"})
