"""What time does to an award (docs/grants.md, "When time passes"): the due-date sources of its clocks.

Each source returns the awards whose day has come, in the award's own time zone (the solicitation's: an award
period ends at midnight where its dates are stated). The query reads the indexed date column with a day of
slack on either side of UTC, and the exact local day is decided per row; the sweep re-checks each case under its
row lock (workflow/clocks.py).

- Closeout opens the day after the end date (after a no-cost extension, the new end: `Award.end`).
- An offer not accepted by its acceptance day (45 days by default) lapses; BJA can reopen it with a reason.
- Day `closeout_days` (120) of closeout: still open, BJA is flagged to act.
- Day `closeout_days + 1` (121): when the grantee has not submitted every final report, DOJ closes the award
  administratively, as the DOJ Grants Financial Guide provides; when everything was submitted, closing stays
  BJA's decision (the day-120 flag asks for it).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from django.db.models import Count, Q

from grants import reporting
from grants.models import Award, ReportKind
from workflow.clocks import unflagged
from workflow.machines import Due

FINAL_KINDS = (ReportKind.FINAL_PERFORMANCE, ReportKind.FINAL_PROGRESS, ReportKind.FINAL_FINANCIAL)
# The day-120 flag: its clock's name and event verb, as the machine declares them.
ENDING, CLOCK_VERB = "closeout_ending", "clock.flagged"
# A local calendar day is never more than a day away from the UTC one (UTC-12 to UTC+14).
SLACK = timedelta(days=1)


def _day(value: date) -> str:
    return f"{value:%b} {value.day}, {value.year}"


def _candidates(stages: tuple[str, ...], now: datetime, column: str):
    """Awards in `stages` whose date `column` may have come by `now` somewhere on Earth."""
    return Award.objects.filter(case__stage__in=stages, **{f"{column}__lte": now.date() + SLACK})


def closeout_opening(now: datetime) -> Iterator[Due]:
    """Awards in planning or implementation whose end date has passed where their dates are stated."""
    rows = _candidates(("planning", "implementation"), now, "end").values_list(
        "case_id", "end", "original_end", "time_zone"
    )
    for case_id, end, original_end, zone in rows:
        if reporting.local_today(now, zone) >= reporting.closeout_opens(end):
            extended = f" (extended from {_day(original_end)})" if end != original_end else ""
            yield Due(case_id, f"the award period ended on {_day(end)}{extended}", data={"end": str(end)})


def acceptance_lapsing(now: datetime) -> Iterator[Due]:
    """Offers not accepted by their last day to accept."""
    rows = _candidates(("offered",), now, "acceptance_due").values_list("case_id", "acceptance_due", "time_zone")
    for case_id, due, zone in rows:
        if reporting.is_late(due, reporting.local_today(now, zone)):
            reason = f"the award was not accepted by {_day(due)}, its last day to accept"
            yield Due(case_id, reason, data={"acceptance_due": str(due)})


def _closeout_rows(now: datetime, *, unflagged_only: bool = False):
    owed = Q(reports__kind__in=FINAL_KINDS) & ~Q(reports__milestone__status="approved")
    unsubmitted = Q(reports__kind__in=FINAL_KINDS, reports__first_submitted_on__isnull=True)
    awards = _candidates(("closeout",), now, "closeout_due")
    if unflagged_only:
        awards = unflagged(awards, verb=CLOCK_VERB, clock=ENDING)
    return awards.annotate(
        owed=Count("reports", filter=owed), unsubmitted=Count("reports", filter=unsubmitted)
    ).values_list("case_id", "closeout_due", "closeout_days", "time_zone", "owed", "unsubmitted")


def _reports(count: int) -> str:
    return "1 final report" if count == 1 else f"{count} final reports"


def closeout_ending(now: datetime) -> Iterator[Due]:
    """Day 120 (the last day of closeout) and after, still in closeout: a flag for BJA."""
    for case_id, due, days, zone, owed, _ in _closeout_rows(now, unflagged_only=True):
        if reporting.local_today(now, zone) >= due:
            state = f"{_reports(owed)} not approved yet" if owed else "every final report approved"
            reason = (
                f"closeout ends on {_day(due)} (day {days}) with {state}; BJA: close the award, or it is closed "
                "administratively the next day if final reports are still missing"
            )
            yield Due(case_id, reason, data={"closeout_due": str(due), "owed": owed})


def closeout_lapsed(now: datetime) -> Iterator[Due]:
    """Day 121 and after, with final reports never submitted: administrative closeout."""
    for case_id, due, days, zone, owed, unsubmitted in _closeout_rows(now):
        if unsubmitted and reporting.is_late(due, reporting.local_today(now, zone)):
            reason = (
                f"the closeout window ended on {_day(due)} (day {days}) and {_reports(unsubmitted)} "
                "never came: DOJ closes the award administratively"
            )
            yield Due(case_id, reason, data={"closeout_due": str(due), "owed": owed, "unsubmitted": unsubmitted})
