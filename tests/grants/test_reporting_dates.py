"""The post-award calendar: due dates across quarter and year boundaries, leap years and time zones."""

from datetime import UTC, date, datetime

import pytest

from grants import reporting as r

P, F, G = r.PERFORMANCE, r.FINANCIAL, r.PROGRESS


@pytest.mark.parametrize(
    ("period_end", "due"),
    [
        (date(2027, 3, 31), date(2027, 4, 30)),
        (date(2027, 6, 30), date(2027, 7, 30)),
        (date(2027, 9, 30), date(2027, 10, 30)),
        (date(2027, 12, 31), date(2028, 1, 30)),  # Across the year boundary.
    ],
)
def test_a_report_is_due_the_30th_of_the_month_after_its_period(period_end, due):
    assert r.due_after(period_end) == due


def test_36_month_award_from_oct_1_matches_the_hand_written_schedule():
    schedule = r.reporting_schedule(start=date(2027, 10, 1), end=date(2030, 9, 30), closeout_days=120)
    quarters = [
        (date(2027, 10, 1), date(2027, 12, 31), date(2028, 1, 30)),
        (date(2028, 1, 1), date(2028, 3, 31), date(2028, 4, 30)),
        (date(2028, 4, 1), date(2028, 6, 30), date(2028, 7, 30)),
        (date(2028, 7, 1), date(2028, 9, 30), date(2028, 10, 30)),
        (date(2028, 10, 1), date(2028, 12, 31), date(2029, 1, 30)),
        (date(2029, 1, 1), date(2029, 3, 31), date(2029, 4, 30)),
        (date(2029, 4, 1), date(2029, 6, 30), date(2029, 7, 30)),
        (date(2029, 7, 1), date(2029, 9, 30), date(2029, 10, 30)),
        (date(2029, 10, 1), date(2029, 12, 31), date(2030, 1, 30)),
        (date(2030, 1, 1), date(2030, 3, 31), date(2030, 4, 30)),
        (date(2030, 4, 1), date(2030, 6, 30), date(2030, 7, 30)),
        # Jul 1 - Sep 30, 2030 ends with the award: the final reports cover it.
    ]
    halves = {
        date(2028, 1, 30): (date(2027, 10, 1), date(2027, 12, 31)),
        date(2028, 7, 30): (date(2028, 1, 1), date(2028, 6, 30)),
        date(2029, 1, 30): (date(2028, 7, 1), date(2028, 12, 31)),
        date(2029, 7, 30): (date(2029, 1, 1), date(2029, 6, 30)),
        date(2030, 1, 30): (date(2029, 7, 1), date(2029, 12, 31)),
        date(2030, 7, 30): (date(2030, 1, 1), date(2030, 6, 30)),
    }
    expected = []
    for start, end, due in quarters:
        expected += [r.ReportingPeriod(P, start, end, due), r.ReportingPeriod(F, start, end, due)]
        if due in halves:
            expected.append(r.ReportingPeriod(G, *halves[due], due))
    final_due = date(2031, 1, 28)  # Sep 30, 2030 + 120 days.
    expected += [
        r.ReportingPeriod(kind, date(2027, 10, 1), date(2030, 9, 30), final_due)
        for kind in (r.FINAL_PERFORMANCE, r.FINAL_PROGRESS, r.FINAL_FINANCIAL)
    ]
    assert schedule == expected
    assert len(schedule) == 11 * 2 + 6 + 3


def test_an_award_starting_on_the_last_day_of_a_quarter_owes_that_quarter():
    schedule = r.reporting_schedule(start=date(2028, 3, 31), end=date(2028, 12, 31), closeout_days=120)
    first = schedule[0]
    assert (first.kind, first.start, first.end, first.due) == (
        P,
        date(2028, 3, 31),
        date(2028, 3, 31),
        date(2028, 4, 30),
    )


def test_leap_year_dates():
    # Feb 29, 2028 exists: a quarter that holds it still ends Mar 31, and clocks count it as a day.
    assert r.acceptance_due(date(2028, 1, 20), 45) == date(2028, 3, 5)
    assert r.acceptance_due(date(2027, 1, 20), 45) == date(2027, 3, 6)
    assert r.closeout_due(date(2028, 2, 29), 120) == date(2028, 6, 28)
    assert r.closeout_opens(date(2028, 2, 28)) == date(2028, 2, 29)
    schedule = r.reporting_schedule(start=date(2028, 2, 29), end=date(2029, 2, 28), closeout_days=90)
    assert schedule[0].start == date(2028, 2, 29) and schedule[0].due == date(2028, 4, 30)


def test_time_zones_decide_which_day_it_is():
    # 3 AM UTC on Jan 31 is still Jan 30 in Los Angeles and New York: an SF-425 due Jan 30 is not late there yet.
    now = datetime(2030, 1, 31, 3, 0, tzinfo=UTC)
    assert r.local_today(now, "America/Los_Angeles") == date(2030, 1, 30)
    assert r.local_today(now, "America/New_York") == date(2030, 1, 30)
    assert r.local_today(now, "Europe/London") == date(2030, 1, 31)
    assert not r.is_late(date(2030, 1, 30), r.local_today(now, "America/Los_Angeles"))
    assert r.is_late(date(2030, 1, 30), r.local_today(now, "Pacific/Guam"))


def test_clock_edges():
    due = r.acceptance_due(date(2027, 9, 15), 45)
    assert due == date(2027, 10, 30)
    assert r.days_left(due, date(2027, 10, 30)) == 0 and not r.is_late(due, date(2027, 10, 30))  # Day 45.
    assert r.is_late(due, date(2027, 10, 31))  # Day 46.
    report_due = date(2028, 1, 30)
    assert not r.suspends_funds(report_due, date(2028, 2, 14), 15)  # Day 15 after the due date.
    assert r.suspends_funds(report_due, date(2028, 2, 15), 15)  # Day 16.
    closeout = r.closeout_due(date(2030, 9, 30), 120)
    assert not r.is_late(closeout, date(2031, 1, 28)) and r.is_late(closeout, date(2031, 1, 29))  # Day 120 / 121.


def test_an_award_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        r.reporting_schedule(start=date(2028, 1, 1), end=date(2027, 1, 1), closeout_days=120)
