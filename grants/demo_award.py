"""Demo post-award example (settings.DEMO_LOADERS, after grants.demo): last round's award to the demo police
department and its behavioral health partner, accepted, in its second year of implementation, with a report at
each step of the report chain, one report overdue and one modification waiting for BJA.

The application goes through the same services as a real one (submitted, reviewed, awarded, accepted); only
the calendar is then moved back, so the story reads as last year's: the deadlines, the decision and the
acceptance get their dates in the past, relative to the lead organization's today. The event log keeps the
day the demo was loaded (it is append-only by design).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, User
from grants import reporting, services
from grants.awards import services as awards
from grants.demo import CRITERIA, _last_weekday, _organization, _user, demo_pdf, demo_worksheet
from grants.models import Award, Decision, DocumentKind, ModificationKind, Outcome, Program, Report, Solicitation
from grants.rules import period_last_day
from tasks.models import TaskPriority
from tasks.services.task import task_create
from workflow.services import case_transition

TITLE = "Springfield Crisis Intervention Team Expansion"
NUMBER_SUFFIX = "171958"
EASTERN = ZoneInfo("America/New_York")
ABSTRACT = (
    "The Springfield Police Department and Prairie Behavioral Health Center will extend crisis intervention team "
    "training to every patrol shift, add a clinician to the department's follow-up unit, and report diversions "
    "and repeat calls to the county's justice and health leaders every quarter."
)
BUDGET = [(1, "150000.00", "37500.00"), (2, "150000.00", "37500.00"), (3, "150000.00", "100000.00")]
AMOUNT = Decimal("450000.00")
REPORT_TEXT = "Calls diverted: 38. Co-responder hours: 290. Follow-ups within 72 hours: 81%."


def award_start(today: date) -> date:
    """The first day of the calendar quarter five quarters before today's: at least four quarters reported."""
    quarter_month = (today.month - 1) // 3 * 3 + 1
    months = today.year * 12 + quarter_month - 1 - 15
    return date(months // 12, months % 12 + 1, 1)


def _fiscal_year(day: date) -> int:
    return day.year + (1 if day.month >= 10 else 0)


def _past_deadlines(decided: date) -> tuple[datetime, datetime]:
    """Last round's two deadlines: DOJ's late-April pattern (see grants.demo), in the April before the decision."""
    year = decided.year if decided.month > 4 else decided.year - 1
    grants_gov = _last_weekday(year, 4, 3) - timedelta(days=7)
    justgrants = grants_gov + timedelta(days=7)
    return (
        datetime.combine(grants_gov, time(23, 59, 59), tzinfo=EASTERN),
        datetime.combine(justgrants, time(20, 59, 59), tzinfo=EASTERN),
    )


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=EASTERN)


def _solicitation(manager: User, bja: Organization, start: date) -> Solicitation:
    """Published with open deadlines so the application can go through the services; backdated afterwards."""
    now = timezone.now()
    solicitation = services.solicitation_create(
        actor=manager,
        agency=bja,
        program=Program.JMHCP,
        fiscal_year=_fiscal_year(start - timedelta(days=1)),
        number=f"O-BJA-{_fiscal_year(start - timedelta(days=1))}-{NUMBER_SUFFIX}",
        title="Justice and Mental Health Collaboration Program",
        summary="Last round's JMHCP solicitation (Assistance Listing 16.745): awards up to $550,000 for 36 months.",
        time_zone="America/New_York",
        grants_gov_deadline=now + timedelta(days=1),
        justgrants_deadline=now + timedelta(days=8),
        earliest_project_start=start,
    )
    services.category_add(
        solicitation=solicitation,
        actor=manager,
        code="2",
        title="Expansion and enhancement of an existing response program",
        award_ceiling=Decimal("550000"),
        period_months=36,
        match_schedule=[20, 20, 40],
        planning_required=False,
    )
    for title, weight, description in CRITERIA:
        services.criterion_add(
            solicitation=solicitation, actor=manager, title=title, weight=weight, description=description
        )
    return services.solicitation_publish(solicitation=solicitation, actor=manager)


def _awarded_application(solicitation: Solicitation, start: date):
    police, partner = _organization("pd"), _organization("bh")
    lead, clinic, manager = _user("police.admin"), _user("bh.admin"), _user("bja.manager")
    application = services.application_create(
        solicitation=solicitation,
        organization=police,
        actor=lead,
        title=TITLE,
        category=solicitation.categories.get(code="2"),
        co_applicants=[partner],
    )
    services.application_update(
        application=application,
        actor=lead,
        abstract=ABSTRACT,
        amount_requested=AMOUNT,
        project_start=start,
        project_end=period_last_day(start, 36),
    )
    services.budget_set(
        application=application,
        actor=lead,
        years=[{"year": y, "federal_amount": f, "match_amount": m} for y, f, m in BUDGET],
    )
    for kind in solicitation.required_document_kinds:
        name = "Budget detail worksheet.xlsx" if kind == DocumentKind.BUDGET_WORKSHEET else f"{kind}.pdf"
        content = demo_worksheet() if kind == DocumentKind.BUDGET_WORKSHEET else demo_pdf(DocumentKind(kind).label)
        services.application_document_upload(
            application=application, actor=lead, upload=SimpleUploadedFile(name, content), kind=kind
        )
    services.grants_gov_record(application=application, actor=lead)
    for admin in (lead, clinic):
        services.application_sign(application=application, actor=admin)
    services.application_submit(application=application, actor=lead)
    case_transition(case=application.case, name="begin_completeness_review", actor=manager)
    services.completeness_record(application=application, actor=manager, complete=True)
    reviewer = _user("bja.reviewer1")
    services.reviewer_assign(application=application, reviewer=reviewer, actor=manager)
    services.review_declare(application=application, actor=reviewer, no_conflict=True)
    scores = {
        criterion.pk: {"score": str(criterion.weight * Decimal("0.85")), "comment": "Clear and well supported."}
        for criterion in solicitation.criteria.all()
    }
    services.review_submit(application=application, actor=reviewer, scores=scores)
    for name in ("close_peer_review", "complete_financial_review"):
        case_transition(case=application.case, name=name, actor=manager)
    services.decision_record(
        application=application,
        actor=manager,
        outcome=Outcome.AWARDED,
        amount=AMOUNT,
        conditions="Budget clearance before drawing funds.",
    )
    return application


def _by_step(award: Award, today: date) -> dict[str, Report]:
    """Which report shows which step: the latest past-due of a kind for the open steps, the next due ones
    for drafts; every other past-due report is approved."""
    reports = list(award.reports.order_by("due_date", "kind"))
    past = [r for r in reports if r.due_date < today]
    upcoming = [r for r in reports if r.due_date >= today]

    def last(rows, kind):
        return next(r for r in reversed(rows) if r.kind == kind)

    def first(rows, kind):
        return next(r for r in rows if r.kind == kind)

    return {
        "overdue": last(past, reporting.PERFORMANCE),
        "sent_back": last(past, reporting.FINANCIAL),
        "waiting_for_bja": last(past, reporting.PROGRESS),
        "drafted_by_partner": first(upcoming, reporting.PERFORMANCE),
        "drafted_by_lead": first(upcoming, reporting.FINANCIAL),
    }


def _reports(award: Award, today: date) -> None:
    lead, member, clinician, manager = (
        _user("police.admin"), _user("police.member"), _user("bh.member"), _user("bja.manager"),
    )  # fmt: skip
    steps = _by_step(award, today)
    special = {report.pk for report in steps.values()}
    for report in award.reports.filter(due_date__lt=today).exclude(pk__in=special).order_by("due_date", "kind"):
        awards.report_draft(report=report, actor=clinician, text=REPORT_TEXT)
        awards.report_submit(report=report, actor=lead)
        awards.report_approve(report=report, actor=manager)
        Report.objects.filter(pk=report.pk).update(
            drafted_at=_at(report.due_date - timedelta(days=6)), first_submitted_on=report.due_date - timedelta(days=3)
        )
    sent_back = steps["sent_back"]
    awards.report_draft(report=sent_back, actor=member, text="Federal share of expenditures: $61,240.")
    awards.report_submit(report=sent_back, actor=lead)
    awards.report_return(
        report=sent_back, actor=manager, comment="Line 10e leaves out the county's in-kind match; add it and resubmit."
    )
    waiting = steps["waiting_for_bja"]
    awards.report_draft(report=waiting, actor=clinician, text=REPORT_TEXT)
    awards.report_submit(report=waiting, actor=lead)
    for report in (sent_back, waiting):
        Report.objects.filter(pk=report.pk).update(first_submitted_on=report.due_date - timedelta(days=2))
    awards.report_draft(report=steps["drafted_by_partner"], actor=clinician, text=REPORT_TEXT)
    awards.report_draft(report=steps["drafted_by_lead"], actor=member, text="Federal share so far: $18,900.")
    task_create(
        case=award.case, actor=lead, title="Gather the county's in-kind match records for the SF-425",
        description="BJA sent the financial report back: line 10e needs the county's in-kind match.",
        assignee=lead, assignee_organization=award.case.organization, due_date=today + timedelta(days=7),
        priority=TaskPriority.HIGH, milestone=sent_back.milestone,
    )  # fmt: skip


def _backdate(award: Award, start: date) -> None:
    """Move last round's calendar back: deadlines in April, the decision in August, acceptance soon after."""
    decided = start - timedelta(days=40)
    grants_gov, justgrants = _past_deadlines(decided)
    application = award.application
    Solicitation.objects.filter(pk=application.solicitation_id).update(
        grants_gov_deadline=grants_gov, justgrants_deadline=justgrants
    )
    type(application).objects.filter(pk=application.pk).update(
        grants_gov_submitted_at=grants_gov - timedelta(days=2), submitted_at=justgrants - timedelta(days=1)
    )
    Decision.objects.filter(application=application).update(decided_on=decided)
    Award.objects.filter(pk=award.pk).update(
        awarded_on=decided,
        acceptance_due=reporting.acceptance_due(decided, settings.AWARD_ACCEPTANCE_DAYS),
        accepted_at=_at(decided + timedelta(days=21)),
    )


@transaction.atomic
def load() -> int:
    """Create the post-award example once; leave it alone afterwards."""
    if Award.objects.filter(case__title=TITLE).exists():
        return 0
    police, manager = _organization("pd"), _user("bja.manager")
    today = reporting.local_today(timezone.now(), police.time_zone)  # The lead's own day, as the demo does.
    start = award_start(today)
    solicitation = _solicitation(manager, _organization("bja"), start)
    application = _awarded_application(solicitation, start)
    award = Award.objects.get(application=application)
    awards.award_accept(award=award, actor=_user("police.admin"))
    _reports(award, reporting.local_today(timezone.now(), award.time_zone))
    awards.modification_request(
        award=award,
        actor=_user("police.admin"),
        kind=ModificationKind.PERSONNEL,
        description="The project coordinator, Lt. Ana Ruiz, retires in March; Sgt. Marcus Lee takes her place.",
        submit=True,
    )
    _backdate(award, start)
    return 1
