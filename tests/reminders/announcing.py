"""Reading what announcements wrote to the outbox, for the announcement tests of every app."""

from __future__ import annotations

from reminders.models import Notification


def told(window: str, **filters) -> set:
    """The people an announcement (its key, e.g. "award-accept") was written for."""
    rows = Notification.objects.filter(window=window, target__startswith="event:", **filters)
    return set(rows.values_list("recipient__full_name", flat=True))


def everyone_told() -> dict[str, set]:
    """Every announcement key written, with the people told of it."""
    found: dict[str, set] = {}
    for window, name in Notification.objects.filter(target__startswith="event:").values_list(
        "window", "recipient__full_name"
    ):
        found.setdefault(window, set()).add(name)
    return found
