"""Reads for awards: lists through `Case.objects.visible_to`, and the clocks computed from dates.

"Suspended" and "locked" are not stored: they follow from the reports not yet submitted and today's date
where the award's dates are stated, so submitting a late report clears them by itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from accounts.models import Membership, Organization, User
from config.errors import NotFound
from grants import reporting
from grants.models import Award, MatchReport, Report, ReportKind
from grants.rules import APPLICANT_ROLES, period_last_day, project_years
from workflow.access import VIEW, case_access
from workflow.models import Participant, ParticipantRole
from workflow.participants import REMOVABLE

UPCOMING_DAYS = 30


def award_partners(award: Award) -> QuerySet[Organization]:
    """The organizations that take part in the award beside the lead and BJA: who a scope change may take off."""
    partners = Participant.objects.filter(case_id=award.case_id, role__in=REMOVABLE).values("organization_id")
    return Organization.objects.filter(pk__in=partners).order_by("name")


def award_with_relations(awards: QuerySet[Award]) -> QuerySet[Award]:
    """The awards with their lead, category, grant manager and the reports still owed, soonest acceptance first."""
    open_reports = Report.objects.filter(first_submitted_on__isnull=True).exclude(kind=ReportKind.PLANNING)
    return (
        awards.select_related("case", "case__organization", "application__category", "grant_manager")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=open_reports.select_related("milestone").order_by("due_date", "id"),
                to_attr="open_reports",
            )
        )
        .order_by("acceptance_due", "id")
    )


def award_list(*, user: User, action: str = VIEW) -> QuerySet[Award]:
    return award_with_relations(Award.objects.visible_to(user, action))


def award_get(*, user: User, award_id: int, action: str = VIEW) -> Award:
    award = award_list(user=user, action=action).filter(pk=award_id).first()
    if award is None:
        raise NotFound("Award not found.")
    return award


@dataclass
class Compliance:
    today: date
    acceptance_open: bool
    acceptance_days_left: int
    acceptance_overdue: bool
    suspended: list[Report] = field(default_factory=list)
    locked: list[Report] = field(default_factory=list)
    overdue: list[Report] = field(default_factory=list)
    upcoming: list[Report] = field(default_factory=list)
    owed: list[Report] = field(default_factory=list)
    closeout_opens: date | None = None
    closeout_open: bool = False
    closeout_days_left: int = 0
    closeout_overdue: bool = False

    @property
    def acceptance_days_overdue(self) -> int:
        return -self.acceptance_days_left

    @property
    def next_report(self) -> Report | None:
        """The soonest report still owed, late or not: a report due in four months is still the next one."""
        return (self.owed or [None])[0]

    @property
    def flags(self) -> list[str]:
        return [
            label
            for label, on in (
                ("Acceptance overdue", self.acceptance_overdue),
                ("Funds suspended", bool(self.suspended)),
                ("Drawdowns locked", bool(self.locked)),
                ("Reports overdue", bool(self.overdue)),
                ("Closeout overdue", self.closeout_overdue),
            )
            if on
        ]


def award_today(award: Award, now=None) -> date:
    return reporting.local_today(now or timezone.now(), award.time_zone)


def award_compliance(award: Award, today: date | None = None) -> Compliance:
    """The clocks of one award; reads `award.open_reports` (award_list prefetches it) or queries them."""
    today = today or award_today(award)
    reports = getattr(award, "open_reports", None)
    if reports is None:
        reports = list(
            award.reports.select_related("milestone")
            .filter(first_submitted_on__isnull=True)
            .exclude(kind=ReportKind.PLANNING)
            .order_by("due_date")
        )
    stage = award.case.stage
    live = stage in ("planning", "implementation", "closeout")
    grace = settings.AWARD_SUSPENSION_DAYS
    result = Compliance(
        today=today,
        acceptance_open=stage == "offered",
        acceptance_days_left=reporting.days_left(award.acceptance_due, today),
        acceptance_overdue=stage == "offered" and reporting.is_late(award.acceptance_due, today),
        closeout_opens=reporting.closeout_opens(award.end),
    )
    if live:
        late = [report for report in reports if reporting.is_late(report.due_date, today)]
        result.overdue = late
        result.owed = list(reports)
        result.suspended = [
            r
            for r in late
            if r.kind in reporting.PERFORMANCE_KINDS and reporting.suspends_funds(r.due_date, today, grace)
        ]
        result.locked = [r for r in late if r.kind in reporting.FINANCIAL_KINDS]
        horizon = today + timedelta(days=UPCOMING_DAYS)
        result.upcoming = [r for r in reports if today <= r.due_date <= horizon]
        result.closeout_open = today >= result.closeout_opens and stage != "closed"
        result.closeout_days_left = reporting.days_left(award.closeout_due, today)
        result.closeout_overdue = result.closeout_open and reporting.is_late(award.closeout_due, today)
    return result


def report_list(*, award: Award) -> QuerySet[Report]:
    return award.reports.select_related("milestone", "drafted_by", "milestone__submitted_by", "milestone__decided_by")


def report_with_relations(reports: QuerySet[Report]) -> QuerySet[Report]:
    return reports.select_related("award", "award__case", "milestone")


def report_get(*, user: User, report_id: int, action: str = VIEW) -> Report:
    visible = Report.objects.filter(case_access(user, action, case_field="award__case_id"))
    report = report_with_relations(visible).filter(pk=report_id).first()
    if report is None:
        raise NotFound("Report not found.")
    return report


def reporting_calendar(*, user: User) -> QuerySet[Report]:
    """Reports still owed on the awards of the user's organizations, soonest first ("our reporting calendar"):
    for a grantee the reports its awards owe, for BJA (the reviewing agency of every award) those owed to it."""
    ours = Membership.objects.active().filter(user=user).values("organization_id")
    awards = Award.objects.visible_to(user).filter(
        case__participations__organization__in=ours,
        case__participations__role__in=[*APPLICANT_ROLES, ParticipantRole.REVIEWER],
    )
    return (
        Report.objects.filter(award__in=awards.values("id"), milestone__status__in=("open", "changes_requested"))
        .select_related("award", "award__case", "milestone", "drafted_by")
        .order_by("due_date", "award_id", "id")
    )


@dataclass(frozen=True)
class MatchYear:
    year: int
    start: date
    end: date
    federal: Decimal
    committed: Decimal
    required_percent: Decimal
    required: Decimal
    reported: Decimal

    @property
    def shortfall(self) -> Decimal:
        """What is still to be reported to meet the commitment (never less than the category's minimum)."""
        return max(Decimal(0), max(self.committed, self.required) - self.reported)

    @property
    def reported_percent(self) -> Decimal:
        total = self.federal + self.reported
        return (100 * self.reported / total).quantize(Decimal("0.1")) if total else Decimal(0)


def match_years(*, award: Award) -> list[MatchYear]:
    """Per project year: federal share, committed match, the category's minimum, reported match, shortfall.

    The minimum is a share of the year's total cost (federal + match), as in the application's budget.
    """
    category = award.application.category
    budget = {line.year: line for line in award.application.budget_years.all()}
    reported = dict(
        MatchReport.objects.filter(award=award)
        .values("year")
        .annotate(total=Sum("amount"))
        .values_list("year", "total")
    )
    years = range(1, project_years(award.start, award.end) + 1)
    federal_by_year = _award_federal_by_year(award.amount, {year: budget[year].federal_amount for year in budget})
    rows = []
    for year in years:
        line = budget.get(year)
        federal = federal_by_year.get(year, Decimal(0))
        percent = category.match_percent(year)
        required = (federal * percent / (100 - percent)).quantize(Decimal("0.01")) if percent < 100 else federal
        start = award.start if year == 1 else period_last_day(award.start, 12 * (year - 1)) + timedelta(days=1)
        rows.append(
            MatchYear(
                year=year,
                start=start,
                end=min(period_last_day(award.start, 12 * year), award.end),
                federal=federal,
                committed=line.match_amount if line else Decimal(0),
                required_percent=percent,
                required=required,
                reported=reported.get(year, Decimal(0)),
            )
        )
    return rows


def _award_federal_by_year(amount: Decimal, requested: dict[int, Decimal]) -> dict[int, Decimal]:
    """The award's federal share per year: BJA may award less (or more) than requested, so the award amount is
    spread over the years in the proportions of the request; the last year takes the cents left by rounding."""
    total = sum(requested.values(), Decimal(0))
    if not total:
        return {}
    shares, given = {}, Decimal(0)
    ordered = sorted(requested)
    for year in ordered[:-1]:
        shares[year] = (amount * requested[year] / total).quantize(Decimal("0.01"))
        given += shares[year]
    shares[ordered[-1]] = amount - given
    return shares
