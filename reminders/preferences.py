"""What a person's preferences mean: their windows, their channel for a kind, when email may go out.

Pure functions over a ``ReminderPreference`` (or None: the site defaults).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from reminders.models import Channel, NotificationStatus, ReminderPreference
from reminders.windows import Policy, Windows

ACTIVITY_KIND = "task_activity"
# "It's your turn": something now waits on you (reminders.services.handoffs).
HANDOFF_KIND = "handoff"
DIGEST_KIND = "digest"
# Kinds that are not deadlines (outcome announcements, TA clocks), registered by the apps that write them:
# key -> what people read on their preferences page and in an email's unsubscribe line.
NOTICE_KINDS: dict[str, str] = {}
# A published solicitation changed (grants/services/solicitation_changes.py tells the applicants with drafts).
SOLICITATION_AMENDED_KIND = "solicitation_amended"
STATUS_FOR_CHANNEL = {
    Channel.EMAIL: NotificationStatus.PENDING,
    Channel.DIGEST: NotificationStatus.DIGEST,
    Channel.IN_APP: NotificationStatus.IN_APP,
}


def notice_kind_register(key: str, label: str) -> str:
    """Declare a kind of notification people choose email, digest or in-app for (from ``AppConfig.ready()``)."""
    if key in (ACTIVITY_KIND, DIGEST_KIND):
        raise ValueError(f"{key!r} is reserved")
    NOTICE_KINDS[key] = label
    return key


def windows_of(preference: ReminderPreference | None, policy: Policy) -> Windows:
    if preference is None:
        return Windows(days_before=policy.days_before)
    days = policy.days_before if preference.days_before is None else tuple(preference.days_before)
    return Windows(days_before=days, on_due_day=preference.on_due_day, overdue=preference.overdue)


def channel_of(preference: ReminderPreference | None, kind: str) -> str:
    if preference is None:
        return Channel.EMAIL
    channel = (preference.channels or {}).get(kind, Channel.EMAIL)
    return channel if channel in Channel.values else Channel.EMAIL


def not_before_hour(now: datetime, zone: str, hour: int) -> datetime:
    """Now, or if it is earlier than `hour` o'clock in `zone`, that hour today, their time.

    A reminder's day is counted in the deadline's zone and its sweep runs at the reminder hour there; a person
    further west must not get it before that hour in their own zone (04:00 in Los Angeles for 07:00 in New York).
    """
    local = now.astimezone(ZoneInfo(zone))
    if local.hour >= hour:
        return now
    return datetime.combine(local.date(), time(hour), tzinfo=ZoneInfo(zone))


def first_email_time(now: datetime, zone: str, preference: ReminderPreference | None, morning: int) -> datetime:
    """Now, or on a quiet day (say the weekend) the morning of the next day that is not quiet, their time."""
    quiet = set((preference.quiet_days if preference else None) or [])
    if not quiet or len(quiet) >= 7:
        return now
    local = now.astimezone(ZoneInfo(zone))
    if local.weekday() not in quiet:
        return now
    day = local.date()
    while day.weekday() in quiet:
        day += timedelta(days=1)
    return datetime.combine(day, time(morning), tzinfo=ZoneInfo(zone))


def is_quiet_day(now: datetime, zone: str, preference: ReminderPreference | None) -> bool:
    quiet = set((preference.quiet_days if preference else None) or [])
    return now.astimezone(ZoneInfo(zone)).weekday() in quiet and len(quiet) < 7
