"""The reporting schedule and the report chain: drafted (often by the behavioral health partner) → approved by
the lead agency, which submits it to BJA → approved by BJA or sent back. Nobody approves what they drafted."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from config.errors import Conflict, NotAllowed, ServiceError
from grants import reporting
from grants.awards.services.common import AWARD_NOT_FOUND, AWARD_RELATED, award_grant_manager_required
from grants.models import Award, Report, ReportKind
from grants.rules import add_months, works_for_lead
from grants.services.common import case_object_lock
from workflow import services
from workflow.access import EDIT, case_require
from workflow.checklists import milestone_add, milestone_approve, milestone_request_changes, milestone_submit
from workflow.models import Milestone, MilestoneStatus

# The Planning and Implementation Guide's sections (law enforcement guide), each a deliverable BJA approves.
PLANNING_SECTIONS = (
    "Getting started and goals",
    "Planning committee and project team",
    "Tracking mental-health calls for service",
    "Applying the essential elements",
    "Data and evaluation",
    "Sustainability",
)
OPEN_STATUSES = (MilestoneStatus.OPEN, MilestoneStatus.CHANGES_REQUESTED)


def report_title(kind: str, start, end) -> str:
    label = ReportKind(kind).label
    if kind.startswith("final_"):
        return label
    return f"{label}: {start:%b} {start.day}, {start.year} – {end:%b} {end.day}, {end.year}"


def _add(award: Award, actor: User | None, period: reporting.ReportingPeriod) -> Report:
    milestone = milestone_add(
        case=award.case,
        actor=actor,
        title=report_title(period.kind, period.start, period.end),
        due_date=period.due,
        needs_bja_approval=True,
        verb="report.scheduled",
        data={"kind": period.kind, "due": str(period.due)},
    )
    return Report.objects.create(
        award=award,
        milestone=milestone,
        kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        due_date=period.due,
    )


def schedule_create(*, award: Award, actor: User | None) -> list[Report]:
    periods = reporting.reporting_schedule(start=award.start, end=award.end, closeout_days=award.closeout_days)
    return [_add(award, actor, period) for period in periods]


def planning_items_add(*, award: Award, actor: User | None) -> list[Report]:
    """The planning deliverables, due `planning_months` after acceptance; BJA approves each."""
    category = award.application.category
    due = add_months(reporting.local_today(timezone.now(), award.time_zone), category.planning_months)
    reports = []
    for section in PLANNING_SECTIONS:
        milestone = milestone_add(
            case=award.case,
            actor=actor,
            title=f"Planning: {section}",
            due_date=due,
            needs_bja_approval=True,
            verb="report.scheduled",
            data={"kind": ReportKind.PLANNING},
        )
        reports.append(Report.objects.create(award=award, milestone=milestone, kind=ReportKind.PLANNING, due_date=due))
    return reports


@dataclass(frozen=True)
class ScheduleChange:
    moved: int
    added: int
    removed: int
    kept: int


def schedule_regenerate(*, award: Award, actor: User | None) -> ScheduleChange:
    """After the end date moved: reports already submitted stay; the others move, go or are added."""
    periods = reporting.reporting_schedule(start=award.start, end=award.end, closeout_days=award.closeout_days)
    wanted = {(period.kind, period.start): period for period in periods}
    existing = list(Report.objects.filter(award=award).exclude(kind=ReportKind.PLANNING).select_related("milestone"))
    submitted = {(r.kind, r.period_start) for r in existing if r.first_submitted_on is not None}
    moved = removed = 0
    for report in existing:
        if report.first_submitted_on is not None:
            continue
        period = wanted.get((report.kind, report.period_start))
        if period is None:
            milestone = report.milestone
            report.delete()
            milestone.delete()
            removed += 1
            continue
        if (report.due_date, report.period_end) != (period.due, period.end):
            report.due_date, report.period_end = period.due, period.end
            report.save(update_fields=["due_date", "period_end"])
            Milestone.objects.filter(pk=report.milestone_id).update(
                due_date=period.due, title=report_title(period.kind, period.start, period.end)
            )
            moved += 1
    present = {(r.kind, r.period_start) for r in Report.objects.filter(award=award)}
    added = [_add(award, actor, period) for key, period in wanted.items() if key not in present]
    change = ScheduleChange(moved=moved, added=len(added), removed=removed, kept=len(submitted))
    services.event_record(case=award.case, actor=actor, verb="report.schedule_regenerated", data=change.__dict__)
    return change


def _locked_report(report: Report) -> tuple[Report, Award]:
    award = case_object_lock(report.award, related=AWARD_RELATED)
    return Report.objects.select_related("milestone").get(pk=report.pk), award


@transaction.atomic
def report_draft(*, report: Report, actor: User, text: str) -> Report:
    """Write (or rewrite after it was sent back) a report: any of the grantees' staff, partners included."""
    report, award = _locked_report(report)
    refusal = "Only the grantees' staff draft reports."
    case_require(user=actor, case=award.case, action=EDIT, message=refusal, not_found=AWARD_NOT_FOUND)
    if report.milestone.status not in OPEN_STATUSES:
        raise Conflict("This report was already submitted to BJA.", code="wrong_status")
    if not text.strip():
        raise ServiceError("Write the report first.", field="text", code="required")
    report.text, report.drafted_by, report.drafted_at = text.strip(), actor, timezone.now()
    report.save(update_fields=["text", "drafted_by", "drafted_at"])
    services.event_record(
        case=award.case, actor=actor, verb="report.drafted", data={"report": report.pk, "title": report.milestone.title}
    )
    return report


@transaction.atomic
def report_submit(*, report: Report, actor: User) -> Report:
    """The lead agency approves the draft and submits it to BJA (the milestone's "submitted")."""
    report, award = _locked_report(report)
    refusal = "Only the lead agency approves reports."
    case_require(user=actor, case=award.case, action=EDIT, message=refusal, not_found=AWARD_NOT_FOUND)
    if not works_for_lead(actor, award.case):
        raise NotAllowed("Only the lead agency's staff approve a report for submission to BJA.", code="not_lead")
    if report.drafted_at is None:
        raise Conflict("Nothing to approve: the report has not been drafted.", code="not_drafted")
    if report.drafted_by_id == actor.pk:
        raise NotAllowed("You drafted this report; someone else must approve it.", code="own_report")
    milestone_submit(milestone=report.milestone, actor=actor, note=report.text)
    if report.first_submitted_on is None:
        report.first_submitted_on = reporting.local_today(timezone.now(), award.time_zone)
        report.save(update_fields=["first_submitted_on"])
    return report


def _bja_decide(report: Report, actor: User, approve: bool, comment: str) -> Report:
    report, award = _locked_report(report)
    award_grant_manager_required(award, actor, "approve or send back reports")
    if report.drafted_by_id == actor.pk:
        raise NotAllowed("You drafted this report; someone else must approve it.", code="own_report")
    decide = milestone_approve if approve else milestone_request_changes
    decide(milestone=report.milestone, actor=actor, comment=comment)
    return report


@transaction.atomic
def report_approve(*, report: Report, actor: User, comment: str = "") -> Report:
    return _bja_decide(report, actor, True, comment)


@transaction.atomic
def report_return(*, report: Report, actor: User, comment: str) -> Report:
    return _bja_decide(report, actor, False, comment)
