"""Post-award steps as plain functions."""

from __future__ import annotations

from grants.awards import services
from grants.models import Award, Report, ReportKind


def fresh(award: Award) -> Award:
    award.refresh_from_db()
    award.case.refresh_from_db()
    return award


def accept(award: Award, representative) -> Award:
    services.award_accept(award=award, actor=representative)
    return fresh(award)


def first_quarterly(award: Award) -> Report:
    return award.reports.filter(kind=ReportKind.PERFORMANCE).order_by("due_date").first()


def report_through_lead(report: Report, drafter, lead) -> Report:
    services.report_draft(report=report, actor=drafter, text="Calls diverted: 42. Co-responder hours: 310.")
    services.report_submit(report=report, actor=lead)
    report.refresh_from_db()
    return report
