"""The business-hours clock of TA requests.

Learning Site staff answer a request "within about 48 business hours". The
clock runs on business days only — Monday to Friday, except U.S. federal
holidays (with their observed days, from the pinned ``holidays`` package) —
and on those days it runs all day: 48 business hours are two business days,
so a request filed on Friday at 15:00 is due on Tuesday at 15:00, and one filed
on a Saturday is due at the end of Tuesday.

Hours are counted on the wall clock of a time zone (the requesting
organization's): the calendar decides what a weekend or a holiday is, and a
daylight-saving change does not move a deadline off the hour people expect.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

DAY = timedelta(days=1)


@lru_cache(maxsize=64)
def _federal_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("US", years=year, categories=("public",)).keys())


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _federal_holidays(day.year)


def next_business_day(day: date) -> date:
    """The first business day after `day`."""
    day += DAY
    while not is_business_day(day):
        day += DAY
    return day


def _local(moment: datetime, time_zone: str) -> datetime:
    """`moment` as a naive wall-clock time in `time_zone`."""
    if moment.tzinfo is None:
        raise ValueError("The business clock needs aware datetimes.")
    return moment.astimezone(zoneinfo.ZoneInfo(time_zone)).replace(tzinfo=None)


def _aware(wall: datetime, time_zone: str) -> datetime:
    return wall.replace(tzinfo=zoneinfo.ZoneInfo(time_zone))


def business_deadline(*, start: datetime, hours: float, time_zone: str) -> datetime:
    """The moment `hours` business hours after `start`, in `time_zone` (an aware datetime)."""
    if hours < 0:
        raise ValueError("hours must not be negative")
    wall = _local(start, time_zone)
    if not is_business_day(wall.date()):
        wall = datetime.combine(next_business_day(wall.date()), time.min)
    remaining = timedelta(hours=hours)
    while True:
        end_of_day = datetime.combine(wall.date() + DAY, time.min)
        if wall + remaining <= end_of_day:
            return _aware(wall + remaining, time_zone)
        remaining -= end_of_day - wall
        wall = datetime.combine(next_business_day(wall.date()), time.min)


def calendar_deadline(*, start: datetime, days: int, time_zone: str) -> datetime:
    """`days` calendar days after `start` at the same wall-clock time in `time_zone` (an aware datetime).

    Not `start + timedelta(days=…)` in UTC: across a daylight-saving change that lands an hour off
    (10:00 EST + 14 days would be 11:00 EDT).
    """
    return _aware(_local(start, time_zone) + timedelta(days=days), time_zone)


def business_hours_between(*, start: datetime, end: datetime, time_zone: str) -> float:
    """Business hours from `start` to `end` (0 when `end` is not later)."""
    wall, stop = _local(start, time_zone), _local(end, time_zone)
    total = timedelta()
    while wall < stop:
        end_of_day = datetime.combine(wall.date() + DAY, time.min)
        if is_business_day(wall.date()):
            total += min(end_of_day, stop) - wall
        wall = end_of_day
    return total.total_seconds() / 3600
