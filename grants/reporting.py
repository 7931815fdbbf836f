"""The post-award calendar, as pure functions of dates: no database, no clock (callers pass `today`).

DOJ rules (DOMAIN.md): quarterly performance measures (PMT) and quarterly Federal Financial Reports (SF-425)
are due the 30th of the month after each calendar quarter (Jan 30, Apr 30, Jul 30, Oct 30); semiannual
progress narratives are due Jan 30 and Jul 30; the final reports are due inside the closeout window, which
opens the day after the end date. How many days a clock runs (45 to accept, 15 before a missed performance
report suspends funds, 120 for closeout) is a setting or a field, passed in here.

A clock of N days from day D is due on D + N and late from D + N + 1: day N is the last good day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

PERFORMANCE = "performance"
FINANCIAL = "financial"
PROGRESS = "progress"
FINAL_PERFORMANCE = "final_performance"
FINAL_PROGRESS = "final_progress"
FINAL_FINANCIAL = "final_financial"
KIND_ORDER = (PERFORMANCE, FINANCIAL, PROGRESS, FINAL_PERFORMANCE, FINAL_PROGRESS, FINAL_FINANCIAL)
# A late one of these suspends funds (after the grace days); a late financial report locks drawdowns.
PERFORMANCE_KINDS = (PERFORMANCE, FINAL_PERFORMANCE)
FINANCIAL_KINDS = (FINANCIAL, FINAL_FINANCIAL)
REPORT_DUE_DAY = 30


@dataclass(frozen=True)
class ReportingPeriod:
    kind: str
    start: date
    end: date
    due: date


def local_today(now: datetime, time_zone: str) -> date:
    """The calendar day at `now` where the award's dates are stated (11 PM in Los Angeles is still that day)."""
    return now.astimezone(ZoneInfo(time_zone)).date()


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def due_after(period_end: date) -> date:
    """The 30th of the month after the period ends: Mar 31 -> Apr 30, Dec 31 -> Jan 30 of the next year."""
    year, month = (period_end.year + 1, 1) if period_end.month == 12 else (period_end.year, period_end.month + 1)
    return date(year, month, REPORT_DUE_DAY)


def _periods(start: date, end: date, months: int) -> list[tuple[date, date]]:
    """Calendar blocks of `months` months (quarters: 3, halves: 6) overlapping [start, end], as their calendar
    start and end."""
    first_month = (start.month - 1) // months * months + 1
    block_start = date(start.year, first_month, 1)
    blocks = []
    while block_start <= end:
        last_month = block_start.month + months - 1
        block_end = _month_end(block_start.year, last_month)
        blocks.append((block_start, block_end))
        block_start = block_end + timedelta(days=1)
    return blocks


def _regular(kinds: tuple[str, ...], start: date, end: date, months: int) -> list[ReportingPeriod]:
    # The block in which the award ends is covered by the final reports, not by a regular one.
    return [
        ReportingPeriod(kind, max(block_start, start), block_end, due_after(block_end))
        for block_start, block_end in _periods(start, end, months)
        if block_end < end
        for kind in kinds
    ]


def closeout_opens(end: date) -> date:
    return end + timedelta(days=1)


def closeout_due(end: date, closeout_days: int) -> date:
    """The last day of the closeout window: day `closeout_days` after the end date (day 1 is the day after)."""
    return end + timedelta(days=closeout_days)


def reporting_schedule(*, start: date, end: date, closeout_days: int) -> list[ReportingPeriod]:
    """Every report an award owes, by due date: quarterly PMT and SF-425, semiannual progress, the finals."""
    if end < start:
        raise ValueError("The award ends before it starts.")
    periods = _regular((PERFORMANCE, FINANCIAL), start, end, 3) + _regular((PROGRESS,), start, end, 6)
    final_due = closeout_due(end, closeout_days)
    periods += [ReportingPeriod(kind, start, end, final_due) for kind in KIND_ORDER[3:]]
    return sorted(periods, key=lambda period: (period.due, KIND_ORDER.index(period.kind), period.start))


def acceptance_due(awarded_on: date, days: int) -> date:
    return awarded_on + timedelta(days=days)


def days_left(due: date, today: date) -> int:
    """0 on the due day, negative once late."""
    return (due - today).days


def is_late(due: date, today: date) -> bool:
    return today > due


def suspends_funds(due: date, today: date, grace_days: int) -> bool:
    """A missed performance report suspends funds once `grace_days` days have passed after its due date."""
    return today > due + timedelta(days=grace_days)
