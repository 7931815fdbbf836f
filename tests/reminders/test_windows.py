"""Reminder windows: which reminder a person is in on a given day, and when the sweep looks next.

Pure date arithmetic, checked with examples across DST changes and time zones, and with Hypothesis.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from reminders.windows import (
    Policy,
    Windows,
    describe,
    escalates,
    latest_window,
    next_remind_at,
    opening,
    rel_day,
    window_for,
)

POLICY = Policy()  # 7 and 1 days before, due day, every 3 days overdue, escalate at 7, stop at 90, 07:00.
DEFAULT = Windows(days_before=(7, 1))
CHICAGO = "America/Chicago"


def test_default_windows_follow_the_issue():
    assert [window_for(rel, DEFAULT, POLICY) for rel in (-8, -7, -5, -2, -1, 0)] == [
        None, "before-7", "before-7", "before-7", "before-1", "due",
    ]  # fmt: skip
    assert [window_for(rel, DEFAULT, POLICY) for rel in (1, 2, 3, 4, 5, 6, 7, 9)] == [
        None, None, "overdue-3", "overdue-3", "overdue-3", "overdue-6", "overdue-6", "overdue-9",
    ]  # fmt: skip
    assert window_for(91, DEFAULT, POLICY) is None, "reminders stop after REMINDER_OVERDUE_STOP_AFTER_DAYS"


def test_a_person_may_choose_other_windows_or_none_overdue():
    choosy = Windows(days_before=(14, 3), on_due_day=False, overdue=False)

    assert window_for(-10, choosy, POLICY) == "before-14"
    assert window_for(-3, choosy, POLICY) == "before-3"
    assert window_for(-1, choosy, POLICY) == "before-3"
    assert window_for(0, choosy, POLICY) is None
    assert window_for(6, choosy, POLICY) is None


def test_a_late_sweep_sends_the_latest_missed_window_once_not_every_one():
    # Planned for 7 days before, swept only on the due day (an outage): "due", not also "before-7" and "before-1".
    assert latest_window(-7, 0, DEFAULT, POLICY) == "due"
    # Swept the day after the due day: nothing is due on day 1, so the "due" reminder is not lost.
    assert latest_window(0, 1, DEFAULT, POLICY) == "due"
    assert latest_window(-30, -20, DEFAULT, POLICY) is None


def test_escalation_is_reached_at_seven_days_overdue_until_reminders_stop():
    assert not escalates(6, 6, POLICY)
    assert escalates(6, 7, POLICY)
    assert escalates(9, 9, POLICY)
    assert not escalates(91, 95, POLICY)


def test_words_for_the_countdown():
    assert [describe(rel) for rel in (-5, -1, 0, 1, 4)] == [
        "due in 5 days", "due tomorrow", "due today", "1 day overdue", "4 days overdue",
    ]  # fmt: skip


def test_days_count_in_the_deadlines_own_zone():
    # 03:00 UTC on March 3 is still March 2 in Chicago: a task due March 3 there is due tomorrow.
    now = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)
    assert rel_day(date(2026, 3, 3), CHICAGO, now) == -1
    assert rel_day(date(2026, 3, 3), "Europe/London", now) == 0
    assert rel_day(date(2026, 3, 3), "Pacific/Guam", now) == 0


def test_windows_open_at_seven_local_time_on_both_sides_of_a_dst_change():
    # US daylight saving time starts on March 8, 2026: 07:00 Chicago is 13:00 UTC before, 12:00 UTC after.
    before = opening(date(2026, 3, 10), -3, CHICAGO, POLICY)
    after = opening(date(2026, 3, 10), -1, CHICAGO, POLICY)
    assert before.astimezone(UTC) == datetime(2026, 3, 7, 13, 0, tzinfo=UTC)
    assert after.astimezone(UTC) == datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
    # And back in November (DST ends November 1, 2026).
    assert opening(date(2026, 11, 2), -1, CHICAGO, POLICY).astimezone(UTC) == datetime(2026, 11, 1, 13, 0, tzinfo=UTC)


def test_a_new_deadline_inside_a_window_is_looked_at_now():
    now = datetime(2026, 5, 4, 15, 0, tzinfo=UTC)
    assert next_remind_at(date(2026, 5, 5), CHICAGO, now, POLICY, catch_up=True) == now


def test_a_far_deadline_waits_for_its_first_window():
    now = datetime(2026, 5, 4, 15, 0, tzinfo=UTC)
    planned = next_remind_at(date(2026, 8, 1), CHICAGO, now, POLICY, catch_up=True)
    # 30 days before is the earliest day anyone may choose.
    assert planned == datetime(2026, 7, 2, 7, 0, tzinfo=ZoneInfo(CHICAGO))


def test_after_a_look_the_next_is_on_a_later_day_and_none_after_the_last():
    now = datetime(2026, 5, 4, 15, 0, tzinfo=UTC)
    assert next_remind_at(date(2026, 5, 5), CHICAGO, now, POLICY, catch_up=False) == datetime(
        2026, 5, 5, 7, 0, tzinfo=ZoneInfo(CHICAGO)
    )
    assert next_remind_at(date(2026, 1, 1), CHICAGO, now, POLICY, catch_up=False) is None


ZONES = st.sampled_from(["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
                         "America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico", "Pacific/Guam"])  # fmt: skip
MOMENTS = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC))


@given(due=st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)), zone=ZONES, now=MOMENTS)
def test_the_next_look_is_never_in_the_past_and_always_at_the_local_hour(due, zone, now):
    planned = next_remind_at(due, zone, now, POLICY, catch_up=False)
    if planned is None:
        assert rel_day(due, zone, now) >= POLICY.overdue_stop
        return
    assert planned > now
    local = planned.astimezone(ZoneInfo(zone))
    assert (local.hour, local.minute) == (POLICY.hour, 0)
    assert (local.date() - due).days in POLICY.fire_rels()


@given(due=st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)), zone=ZONES, now=MOMENTS)
def test_following_the_plan_day_by_day_visits_every_window_of_the_default_person(due, zone, now):
    """Walking the plan from any start reaches, after the start, each window a person would get, in order."""
    seen, moment, guard = [], now, 0
    while (moment := next_remind_at(due, zone, moment, POLICY, catch_up=False)) is not None and guard < 200:
        window = window_for(rel_day(due, zone, moment), DEFAULT, POLICY)
        if window and window not in seen:
            seen.append(window)
        guard += 1
    start = rel_day(due, zone, now)
    expected = [window_for(start, DEFAULT, POLICY)]  # The window the start is in was reminded already.
    for rel in range(start + 1, POLICY.overdue_stop + 1):
        window = window_for(rel, DEFAULT, POLICY)
        if window and window not in expected:
            expected.append(window)
    # The start's own window may come round again (before-7 on day -2): its key makes that a no-op.
    assert [window for window in seen if window != expected[0]] == [w for w in expected[1:] if w != expected[0]]
    assert guard < 200


def test_a_day_in_the_plan_is_a_whole_local_day_even_across_dst():
    due = date(2026, 10, 31)  # DST ends the next night in the U.S.: Sunday November 1 has 25 hours.
    start = datetime(2026, 10, 30, 13, 0, tzinfo=UTC)
    first = next_remind_at(due, CHICAGO, start, POLICY, catch_up=False)
    second = next_remind_at(due, CHICAGO, first, POLICY, catch_up=False)
    assert (first, second) == (datetime(2026, 10, 31, 12, 0, tzinfo=UTC), datetime(2026, 11, 3, 13, 0, tzinfo=UTC))
    assert second - first == timedelta(hours=24 * 3 + 1), "from due day 07:00 CDT to 3 days later 07:00 CST"


def test_fixed_windows_each_run_until_the_next_opens():
    from reminders.windows import latest_fixed_window

    fixed = (("before-60", -60), ("before-30", -30), ("before-7", -7), ("expired", 0))
    assert latest_fixed_window(-61, fixed) is None
    assert [latest_fixed_window(rel, fixed) for rel in (-60, -31, -30, -8, -7, -1, 0, 5)] == [
        "before-60", "before-60", "before-30", "before-30", "before-7", "before-7", "expired", "expired",
    ]  # fmt: skip
