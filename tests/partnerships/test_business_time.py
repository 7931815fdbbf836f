"""The 48-business-hour clock: weekends and U.S. federal holidays stop it, time zones decide the calendar."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime

import pytest

from partnerships.business_time import business_deadline, business_hours_between, calendar_deadline, is_business_day

CHICAGO = "America/Chicago"
NEW_YORK = "America/New_York"
HONOLULU = "Pacific/Honolulu"


def at(zone: str, *parts) -> datetime:
    return datetime(*parts, tzinfo=zoneinfo.ZoneInfo(zone))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 25), True),  # Wednesday
        (date(2026, 11, 26), False),  # Thanksgiving
        (date(2026, 11, 27), True),  # The Friday after is not a federal holiday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 7, 3), False),  # Independence Day (Saturday) observed on Friday
        (date(2027, 1, 1), False),  # New Year's Day
        (date(2026, 6, 19), False),  # Juneteenth
        (date(2026, 10, 12), False),  # Columbus Day
    ],
)
def test_business_days_skip_weekends_and_federal_holidays(day, expected):
    assert is_business_day(day) is expected


def test_a_weekday_request_is_due_two_business_days_later_at_the_same_time():
    start = at(CHICAGO, 2026, 11, 17, 10, 30)  # Tuesday
    assert business_deadline(start=start, hours=48, time_zone=CHICAGO) == at(CHICAGO, 2026, 11, 19, 10, 30)


def test_friday_afternoon_is_due_tuesday_afternoon():
    start = at(CHICAGO, 2026, 11, 13, 15, 0)
    assert business_deadline(start=start, hours=48, time_zone=CHICAGO) == at(CHICAGO, 2026, 11, 17, 15, 0)


def test_a_weekend_request_starts_counting_on_monday_morning():
    start = at(CHICAGO, 2026, 11, 14, 9, 0)  # Saturday
    assert business_deadline(start=start, hours=48, time_zone=CHICAGO) == at(CHICAGO, 2026, 11, 18, 0, 0)


def test_thanksgiving_stops_the_clock():
    start = at(CHICAGO, 2026, 11, 25, 12, 0)  # Wednesday before Thanksgiving
    # Wed 12:00–24:00 (12 h), Thursday holiday, Friday (24 h), weekend, Monday 00:00–12:00 (12 h).
    assert business_deadline(start=start, hours=48, time_zone=CHICAGO) == at(CHICAGO, 2026, 11, 30, 12, 0)


def test_an_observed_holiday_and_the_weekend_after_it_stop_the_clock():
    start = at(NEW_YORK, 2026, 7, 2, 16, 0)  # Thursday; Friday Jul 3 is Independence Day observed
    assert business_deadline(start=start, hours=48, time_zone=NEW_YORK) == at(NEW_YORK, 2026, 7, 7, 16, 0)


def test_the_year_end_holiday_crosses_into_the_next_year():
    start = at(CHICAGO, 2026, 12, 31, 8, 0)  # Thursday; Friday is New Year's Day 2027
    assert business_deadline(start=start, hours=48, time_zone=CHICAGO) == at(CHICAGO, 2027, 1, 5, 8, 0)


def test_the_time_zone_decides_which_day_it_is():
    # Friday 23:30 in Chicago is already Saturday 05:30 UTC: the same instant counts differently.
    start = at(CHICAGO, 2026, 11, 13, 23, 30)
    in_chicago = business_deadline(start=start, hours=48, time_zone=CHICAGO)
    in_utc = business_deadline(start=start, hours=48, time_zone="UTC")
    assert in_chicago == at(CHICAGO, 2026, 11, 17, 23, 30)
    assert in_utc == datetime(2026, 11, 18, 0, 0, tzinfo=UTC)
    assert in_chicago != in_utc


def test_a_utc_instant_is_read_on_the_local_calendar():
    start = datetime(2026, 11, 16, 3, 0, tzinfo=UTC)  # Sunday 17:00 in Honolulu, Monday 03:00 in UTC
    assert business_deadline(start=start, hours=48, time_zone=HONOLULU) == at(HONOLULU, 2026, 11, 18, 0, 0)
    assert business_deadline(start=start, hours=48, time_zone="UTC") == datetime(2026, 11, 18, 3, 0, tzinfo=UTC)


def test_daylight_saving_does_not_move_the_deadline_off_the_hour():
    start = at(NEW_YORK, 2026, 10, 30, 10, 0)  # Friday; clocks fall back on Sunday Nov 1
    deadline = business_deadline(start=start, hours=48, time_zone=NEW_YORK)
    assert deadline == at(NEW_YORK, 2026, 11, 3, 10, 0)
    assert deadline.astimezone(UTC).hour == 15  # EST now, not EDT


def test_zero_hours_on_a_business_day_is_now_and_on_a_holiday_is_the_next_morning():
    monday = at(CHICAGO, 2026, 11, 16, 9, 0)
    assert business_deadline(start=monday, hours=0, time_zone=CHICAGO) == monday
    thanksgiving = at(CHICAGO, 2026, 11, 26, 9, 0)
    assert business_deadline(start=thanksgiving, hours=0, time_zone=CHICAGO) == at(CHICAGO, 2026, 11, 27, 0, 0)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        business_deadline(start=datetime(2026, 11, 16, 9, 0), hours=48, time_zone=CHICAGO)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (at(CHICAGO, 2026, 11, 16, 9, 0), at(CHICAGO, 2026, 11, 16, 17, 0), 8),
        (at(CHICAGO, 2026, 11, 13, 15, 0), at(CHICAGO, 2026, 11, 16, 9, 0), 18),  # Fri 9 h + Mon 9 h
        (at(CHICAGO, 2026, 11, 25, 12, 0), at(CHICAGO, 2026, 11, 30, 12, 0), 48),  # over Thanksgiving
        (at(CHICAGO, 2026, 11, 14, 9, 0), at(CHICAGO, 2026, 11, 15, 9, 0), 0),  # a weekend
        (at(CHICAGO, 2026, 11, 16, 9, 0), at(CHICAGO, 2026, 11, 16, 8, 0), 0),  # end before start
    ],
)
def test_business_hours_between(start, end, hours):
    assert business_hours_between(start=start, end=end, time_zone=CHICAGO) == hours


def test_hours_between_and_deadline_agree():
    start = at(NEW_YORK, 2026, 12, 23, 14, 45)
    deadline = business_deadline(start=start, hours=48, time_zone=NEW_YORK)
    assert business_hours_between(start=start, end=deadline, time_zone=NEW_YORK) == 48


def test_the_match_clock_is_fourteen_days_at_the_same_wall_clock_time_across_spring_forward():
    received = at(NEW_YORK, 2027, 3, 5, 10, 0)  # EST; clocks spring forward on Sunday Mar 14
    due = calendar_deadline(start=received, days=14, time_zone=NEW_YORK)
    assert due == at(NEW_YORK, 2027, 3, 19, 10, 0)
    assert due.tzname() == "EDT" and due.astimezone(UTC).hour == 14  # 10:00 EDT, not 11:00 as UTC days gave


def test_the_match_clock_keeps_the_hour_across_fall_back_too():
    received = at(CHICAGO, 2026, 10, 25, 16, 30)  # CDT; clocks fall back on Sunday Nov 1
    assert calendar_deadline(start=received, days=14, time_zone=CHICAGO) == at(CHICAGO, 2026, 11, 8, 16, 30)


def test_the_acknowledgement_clock_keeps_the_hour_across_spring_forward():
    start = at(NEW_YORK, 2027, 3, 12, 10, 0)  # Friday 10:00 EST
    deadline = business_deadline(start=start, hours=48, time_zone=NEW_YORK)
    assert deadline == at(NEW_YORK, 2027, 3, 16, 10, 0)  # Tuesday 10:00 EDT
    assert deadline.astimezone(UTC).hour == 14
