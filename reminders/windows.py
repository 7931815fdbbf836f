"""Reminder windows: pure date arithmetic, no database.

Everything counts whole days between "today" and a due date, both in the
deadline's own time zone (the case organization's). ``rel`` is today minus the
due date: -7 is a week before, 0 the due day, 3 three days overdue.

A window is the name of a reminder a person gets: ``before-7`` (for every day
from 7 to 2 days before, when 1 is also chosen), ``before-1``, ``due``,
``overdue-3``, ``overdue-6``…, and ``escalation`` for the organization's
admins. The notification key holds the window, so each is sent once per
person and due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

ESCALATION = "escalation"


@dataclass(frozen=True)
class Policy:
    """The site's reminder rules (settings REMINDER_*)."""

    days_before: tuple[int, ...] = (7, 1)
    days_before_choices: tuple[int, ...] = (30, 14, 7, 3, 2, 1)
    overdue_every: int = 3
    escalate_after: int = 7
    overdue_stop: int = 90
    hour: int = 7

    @classmethod
    def from_settings(cls) -> Policy:
        return cls(
            days_before=tuple(settings.REMINDER_DAYS_BEFORE),
            days_before_choices=tuple(settings.REMINDER_DAYS_BEFORE_CHOICES),
            overdue_every=settings.REMINDER_OVERDUE_EVERY_DAYS,
            escalate_after=settings.REMINDER_ESCALATE_AFTER_DAYS,
            overdue_stop=settings.REMINDER_OVERDUE_STOP_AFTER_DAYS,
            hour=settings.REMINDER_HOUR,
        )

    def fire_rels(self) -> list[int]:
        """Every day (relative to the due date) on which someone's window may start: the sweep's stops.

        Users pick their "days before" from the choices, so planning on all of
        them means a preference change never needs the deadlines re-planned.
        """
        rels = {-day for day in (*self.days_before_choices, *self.days_before)} | {0}
        rels |= set(range(self.overdue_every, self.overdue_stop + 1, self.overdue_every))
        if self.escalate_after <= self.overdue_stop:
            rels.add(self.escalate_after)
        return sorted(rels)


@dataclass(frozen=True)
class Windows:
    """One person's choice of windows (a ReminderPreference, or the defaults)."""

    days_before: tuple[int, ...]
    on_due_day: bool = True
    overdue: bool = True


def window_for(rel: int, windows: Windows, policy: Policy) -> str | None:
    """The window a person is in on day `rel`, or None when they want no reminder then."""
    if rel < 0:
        ahead = [day for day in windows.days_before if day >= -rel]
        return f"before-{min(ahead)}" if ahead else None
    if rel == 0:
        return "due" if windows.on_due_day else None
    if not windows.overdue or rel < policy.overdue_every or rel > policy.overdue_stop:
        return None
    return f"overdue-{rel - rel % policy.overdue_every}"


def latest_window(first_rel: int, last_rel: int, windows: Windows, policy: Policy) -> str | None:
    """The most recent window between two days (inclusive), so a late sweep sends what it missed, once.

    After a broker outage the planned day may have passed: a person then gets
    the latest window they would have had, not every missed one in a burst.
    """
    for rel in range(last_rel, max(first_rel, last_rel - 400) - 1, -1):
        window = window_for(rel, windows, policy)
        if window:
            return window
    return None


def latest_fixed_window(last_rel: int, fixed: tuple[tuple[str, int], ...]) -> str | None:
    """Of a source's fixed windows (name, day), the one day `last_rel` is in: the latest that has opened.

    Fixed windows are the same for everyone (an agreement expiring: 60, 30, 7 days before, then expired).
    Each runs until the next opens, so a sweep that runs late, or an item recorded 20 days before its date,
    sends the window it is in (30 days), once (the key), like ``latest_window``.
    """
    opened = [(rel, name) for name, rel in fixed if rel <= last_rel]
    return max(opened)[1] if opened else None


def escalates(first_rel: int, last_rel: int, policy: Policy) -> bool:
    """Whether the days swept reach the escalation day while reminders still run (its key makes it once)."""
    return policy.escalate_after <= last_rel and first_rel <= policy.overdue_stop


def local_today(zone: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


def rel_day(due: date, zone: str, now: datetime) -> int:
    return (local_today(zone, now) - due).days


def opening(due: date, rel: int, zone: str, policy: Policy) -> datetime:
    """When day `rel`'s window opens: the policy's hour, local time, on that day (DST-correct)."""
    local = datetime.combine(due + timedelta(days=rel), time(policy.hour), tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC)


def next_remind_at(
    due: date, zone: str, now: datetime, policy: Policy, *, catch_up: bool, rels: list[int] | None = None
) -> datetime | None:
    """When the sweep should look at this deadline next, or None when no reminder is left.

    `catch_up` (a new or moved deadline): if today is already inside a window,
    look now, so a task created the day before it is due still gets "due tomorrow".
    `rels`: the days a window may start (a source's fixed windows); default: the policy's.
    """
    rels = sorted(rels) if rels else policy.fire_rels()
    today = rel_day(due, zone, now)
    if catch_up and rels[0] <= today <= rels[-1]:
        return now
    later = [rel for rel in rels if rel > today]
    return opening(due, later[0], zone, policy) if later else None


def describe(rel: int) -> str:
    """A due date in words, from today: "due in 5 days", "due tomorrow", "due today", "3 days overdue"."""
    if rel < -1:
        return f"due in {-rel} days"
    if rel == -1:
        return "due tomorrow"
    if rel == 0:
        return "due today"
    return "1 day overdue" if rel == 1 else f"{rel} days overdue"
