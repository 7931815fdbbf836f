"""The award: made from the decision, accepted by the Authorized Representative, reports, clocks at their edges."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from config.errors import Conflict, NotAllowed, ServiceError
from grants.awards import selectors, services
from grants.models import Award, Modification, ModificationStatus, Report, ReportKind
from tests.grants import award_flow
from workflow.models import Event, MilestoneStatus

NY = ZoneInfo("America/New_York")


def at(day: date, hour: int = 12):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=NY), tick=False)


def test_the_award_decision_opens_an_award_case(award, awarded, organization, bh_org, bja, admin, grant_manager):
    assert award.case.kind == "award" and award.case.stage == "offered"
    assert award.amount == Decimal("540000.00") and award.special_conditions == "Budget clearance."
    assert award.start == awarded.project_start and award.end == awarded.project_end
    roles = {p.organization: p.role for p in award.case.participations.all()}
    assert roles == {organization: "lead", bh_org: "co_applicant", bja: "reviewer"}
    assert award.authorized_representative == admin and award.grant_manager == grant_manager
    assert award.acceptance_due == award.awarded_on + timedelta(days=45)
    assert award.closeout_due == award.end + timedelta(days=120)
    assert award.number.startswith("15PBJA-")


def test_only_the_authorized_representative_accepts(award, member):
    with pytest.raises(NotAllowed, match="Authorized Representative"):
        services.award_accept(award=award, actor=member)
    assert award_flow.fresh(award).accepted_at is None and award.case.stage == "offered"


def test_acceptance_makes_the_schedule_and_the_planning_deliverables(award, admin):
    award = award_flow.accept(award, admin)
    assert award.case.stage == "planning"
    reports = Report.objects.filter(award=award)
    assert reports.exclude(kind=ReportKind.PLANNING).count() == 31
    assert reports.filter(kind=ReportKind.PLANNING).count() == 6
    first = award_flow.first_quarterly(award)
    assert first.due_date == date(award.start.year + 1, 1, 30) and first.milestone.due_date == first.due_date


def test_a_declined_award_cannot_be_accepted(award, admin):
    services.award_decline(award=award, actor=admin, reason="The county withdrew its match.", confirm=True)
    with pytest.raises(Conflict, match="declined") as error:
        services.award_accept(award=award, actor=admin)
    assert error.value.code == "declined"
    assert award_flow.fresh(award).case.stage == "declined" and award.accepted_at is None


def test_acceptance_clock_edges_day_45_and_46(award):
    with at(award.awarded_on + timedelta(days=45)):
        status = selectors.award_compliance(award_flow.fresh(award))
        assert status.acceptance_days_left == 0 and not status.acceptance_overdue
    with at(award.awarded_on + timedelta(days=46)):
        status = selectors.award_compliance(award_flow.fresh(award))
        assert status.acceptance_overdue and "Acceptance overdue" in status.flags


def test_report_chain_partner_drafts_lead_approves_bja_approves(award, admin, member, bh_member, grant_manager):
    award = award_flow.accept(award, admin)
    report = award_flow.first_quarterly(award)
    services.report_draft(report=report, actor=bh_member, text="Calls diverted: 42.")
    with pytest.raises(NotAllowed, match="Only the lead agency"):
        services.report_submit(report=report, actor=bh_member)
    services.report_submit(report=report, actor=member)
    report.refresh_from_db()
    assert report.milestone.status == MilestoneStatus.SUBMITTED and report.first_submitted_on is not None
    services.report_approve(report=report, actor=grant_manager, comment="Thank you.")
    report.milestone.refresh_from_db()
    assert report.milestone.status == MilestoneStatus.APPROVED


def test_a_report_is_not_approved_by_its_drafter(award, admin, member):
    award = award_flow.accept(award, admin)
    report = award_flow.first_quarterly(award)
    services.report_draft(report=report, actor=member, text="Numbers.")
    with pytest.raises(NotAllowed) as error:
        services.report_submit(report=report, actor=member)
    assert error.value.code == "own_report"
    report.refresh_from_db()
    assert report.milestone.status == MilestoneStatus.OPEN and report.first_submitted_on is None


def test_bja_sends_a_report_back_and_it_is_drafted_again(award, admin, member, bh_member, grant_manager):
    award = award_flow.accept(award, admin)
    report = award_flow.report_through_lead(award_flow.first_quarterly(award), bh_member, member)
    services.report_return(report=report, actor=grant_manager, comment="Add the dispositions.")
    services.report_draft(report=report, actor=bh_member, text="With dispositions.")
    services.report_submit(report=report, actor=member)
    report.milestone.refresh_from_db()
    assert report.milestone.status == MilestoneStatus.SUBMITTED


def test_suspension_15_days_after_a_missed_performance_report_and_cleared_by_submitting(
    award, admin, member, bh_member
):
    award = award_flow.accept(award, admin)
    report = award_flow.first_quarterly(award)
    with at(report.due_date + timedelta(days=15)):
        status = selectors.award_compliance(award_flow.fresh(award))
        assert not status.suspended and status.overdue and status.locked  # The SF-425 of the quarter is late.
    with at(report.due_date + timedelta(days=16)):
        status = selectors.award_compliance(award_flow.fresh(award))
        assert [r.pk for r in status.suspended] == [report.pk]
        award_flow.report_through_lead(report, bh_member, member)
        assert not selectors.award_compliance(award_flow.fresh(award)).suspended


def test_sf425_locks_drawdowns_from_the_day_after_it_is_due(award, admin, member, bh_member):
    award = award_flow.accept(award, admin)
    sf425 = award.reports.filter(kind=ReportKind.FINANCIAL).order_by("due_date").first()
    with at(sf425.due_date):
        assert not selectors.award_compliance(award_flow.fresh(award)).locked
    with at(sf425.due_date + timedelta(days=1)):
        assert selectors.award_compliance(award_flow.fresh(award)).locked
        award_flow.report_through_lead(sf425, bh_member, member)
        assert not selectors.award_compliance(award_flow.fresh(award)).locked


def test_planning_gate_and_cap(award, admin, member, bh_member, grant_manager):
    award = award_flow.accept(award, admin)
    from workflow.errors import GuardFailed
    from workflow.services import case_transition

    with pytest.raises(GuardFailed, match="locked until BJA approves"):
        case_transition(case=award.case, name="begin_implementation", actor=member)
    services.planning_spending_record(award=award, actor=member, amount=Decimal("60000"), description="Facilitator")
    with pytest.raises(ServiceError) as error:
        services.planning_spending_record(award=award, actor=member, amount=Decimal("40000.01"), description="")
    assert error.value.code == "planning_cap_exceeded"
    assert award_flow.fresh(award).planning_spent == Decimal("60000")
    for report in award.reports.filter(kind=ReportKind.PLANNING):
        award_flow.report_through_lead(report, bh_member, member)
        services.report_approve(report=report, actor=grant_manager)
    case_transition(case=award.case, name="begin_implementation", actor=member)
    assert award_flow.fresh(award).case.stage == "implementation"


def _extension(award, actor, new_end, submit=True):
    modification = services.modification_prepare(
        award=award, actor=actor, kind="no_cost_extension", description="Hiring delays.", new_end=new_end
    )
    return services.modification_submit(modification=modification, actor=actor) if submit else modification


def test_no_cost_extension_moves_the_schedule_and_keeps_submitted_reports(
    award, admin, member, bh_member, grant_manager
):
    award = award_flow.accept(award, admin)
    submitted = award_flow.report_through_lead(award_flow.first_quarterly(award), bh_member, member)
    old_end = award.end
    with pytest.raises(ServiceError) as error:
        _extension(award, admin, old_end - timedelta(days=1))
    assert error.value.code == "extension_shortens" and not Modification.objects.exists()
    new_end = date(old_end.year + 1, 3, 31)
    modification = _extension(award, admin, new_end)
    services.modification_decide(modification=modification, actor=grant_manager, approve=True)
    award = award_flow.fresh(award)
    assert award.end == new_end and award.closeout_due == new_end + timedelta(days=120)
    finals = award.reports.filter(kind=ReportKind.FINAL_FINANCIAL).get()
    assert finals.due_date == new_end + timedelta(days=120) and finals.milestone.due_date == finals.due_date
    assert award.reports.exclude(kind=ReportKind.PLANNING).count() == 31 + 4 + 1  # Two quarters, one half more.
    submitted.refresh_from_db()
    assert submitted.first_submitted_on is not None and submitted.milestone.status == MilestoneStatus.SUBMITTED
    assert Event.objects.filter(case=award.case, verb="modification.approved").count() == 1


def test_the_alternate_prepares_but_does_not_submit(award, admin, member):
    award = award_flow.accept(award, admin)
    services.award_roles_set(award=award, actor=admin, alternate_administrator=member)
    modification = _extension(award, member, award.end + timedelta(days=90), submit=False)
    with pytest.raises(NotAllowed) as error:
        services.modification_submit(modification=modification, actor=member)
    assert error.value.code == "not_award_administrator"
    modification.refresh_from_db()
    assert modification.status == ModificationStatus.DRAFT


def test_budget_moves_within_10_percent_are_recorded_and_above_need_approval(award, admin, grant_manager):
    award = award_flow.accept(award, admin)

    def move(amount):
        modification = services.modification_prepare(
            award=award, actor=admin, kind="budget", description="Move.",
            moves=[{"from": "travel", "to": "personnel", "amount": amount}],
        )  # fmt: skip
        return services.modification_submit(modification=modification, actor=admin)

    first = move("50000")  # 9.26% of $540,000.
    assert first.status == ModificationStatus.RECORDED and first.cumulative_percent == Decimal("9.26")
    second = move("5000")  # 10.19% cumulative.
    assert second.status == ModificationStatus.PENDING
    services.modification_decide(modification=second, actor=grant_manager, approve=False, comment="Justify it.")
    second.refresh_from_db()
    assert second.status == ModificationStatus.DENIED


def test_match_per_project_year_and_outside_years(award, admin, member):
    award = award_flow.accept(award, admin)
    services.match_report(award=award, actor=member, year=1, amount=Decimal("30000"))
    with pytest.raises(ServiceError) as error:
        services.match_report(award=award, actor=member, year=4, amount=Decimal("1"))
    assert error.value.code == "year_outside"
    years = selectors.match_years(award=award)
    assert [row.required_percent for row in years] == [20, 20, 40]
    assert years[0].required == Decimal("45000.00") and years[0].shortfall == Decimal("15000.00")
    assert years[2].required == Decimal("120000.00")


def test_closeout_window_edges_and_close(award, admin, member, bh_member, grant_manager):
    award = award_flow.accept(award, admin)
    from workflow.errors import GuardFailed
    from workflow.services import case_transition

    with at(award.end), pytest.raises(GuardFailed, match="day after"):
        case_transition(case=award.case, name="open_closeout", actor=member)
    with at(award.end + timedelta(days=1)):
        case_transition(case=award.case, name="open_closeout", actor=member)
    with at(award.end + timedelta(days=120)):
        status = selectors.award_compliance(award_flow.fresh(award))
        assert status.closeout_open and status.closeout_days_left == 0 and not status.closeout_overdue
    with at(award.end + timedelta(days=121)):
        assert selectors.award_compliance(award_flow.fresh(award)).closeout_overdue
    # With final reports still owed, closing is BJA's call with the reason on the record; always confirmed.
    with pytest.raises(ServiceError) as no_reason:
        case_transition(case=award.case, name="close", actor=grant_manager, confirm=True)
    assert (no_reason.value.field, no_reason.value.code) == ("comment", "comment_required")
    for report in award.reports.filter(kind__startswith="final_"):
        award_flow.report_through_lead(report, bh_member, member)
        services.report_approve(report=report, actor=grant_manager)
    with pytest.raises(ServiceError) as unconfirmed:
        case_transition(case=award.case, name="close", actor=grant_manager)
    assert unconfirmed.value.field == "confirm"
    case_transition(case=award.case, name="close", actor=grant_manager, confirm=True)
    assert Award.objects.get(pk=award.pk).case.stage == "closed"
