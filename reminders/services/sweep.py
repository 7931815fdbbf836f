"""The reminder sweep: deadlines whose time has come become notifications in the outbox.

Beat runs it every few minutes. It reads only deadlines whose
``next_remind_at`` has passed (a partial index), a batch at a time, locked with
``FOR UPDATE SKIP LOCKED`` so that two sweeps at once split the work. For each
one it works out, per recipient, the window they are in; inserts the
notifications (a repeat is a no-op thanks to the unique key); and plans the
deadline's next look. Its cost follows the number of deadlines due, not the
number of deadlines.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from operations.services import heartbeat_record
from reminders.models import Deadline
from reminders.preferences import windows_of
from reminders.registry import registry
from reminders.services.deadlines import deadlines_discover
from reminders.services.outbox import notification_build, outbox_add, recipients_load
from reminders.windows import (
    ESCALATION,
    Policy,
    describe,
    escalates,
    latest_fixed_window,
    latest_window,
    next_remind_at,
    rel_day,
)

logger = logging.getLogger(__name__)
SWEEP_BATCH = 2000


@dataclass
class SweepResult:
    discovered: int = 0
    deadlines: int = 0
    notifications: int = 0


def _subject(label: str, title: str, rel: int, *, escalation: bool) -> str:
    if escalation:
        return f"Escalation: {label.lower()} “{title}” is {describe(rel)}"
    return f"{label} “{title}” is {describe(rel)}"


def _build(user, preference, window: str, subject: str, common: dict):
    return notification_build(user=user, preference=preference, window=window, subject=subject, **common)


def _notifications_for(batch: list[Deadline], now: datetime, policy: Policy) -> list:
    """The notifications a batch of due deadlines calls for.

    Whether each person may still see the case is asked where a notification is shown or sent
    (``Case.objects.visible_to`` in the notification list and at delivery), not here: that is the moment
    that counts, and asking here too would cost a query per person per sweep.
    """
    by_source: dict[str, list[Deadline]] = defaultdict(list)
    for deadline in batch:
        by_source[deadline.source].append(deadline)
    days = {
        deadline.id: (
            rel_day(deadline.due_date, deadline.time_zone, deadline.next_remind_at),
            rel_day(deadline.due_date, deadline.time_zone, now),
        )
        for deadline in batch
    }
    reminded: dict[int, set[int]] = {}
    escalated: dict[int, set[int]] = {}
    for key, deadlines in by_source.items():
        if key not in registry:
            logger.warning("Deadlines of unregistered source %r are skipped.", key)
            continue
        source = registry.get(key)
        reminded.update(source.recipients(deadlines))
        late = [d for d in deadlines if not source.fixed_windows and escalates(*days[d.id], policy)]
        if late:
            escalated.update(source.escalation(late))
    everyone = {user for group in (*reminded.values(), *escalated.values()) for user in group}
    users, preferences = recipients_load(everyone)

    notifications = []
    for deadline in batch:
        if deadline.source not in registry:
            continue
        source = registry.get(deadline.source)
        first, last = days[deadline.id]
        common = {
            "kind": source.key,
            "target": f"deadline:{deadline.id}@{deadline.due_date.isoformat()}",
            "now": now,
            "body": f"On “{deadline.case.title}”.",
            "url": source.url_for(deadline),
            "case_id": deadline.case_id,
            "deadline_id": deadline.id,
            "due_date": deadline.due_date,
            # The day is the deadline's; the hour is the recipient's (docs/reminders.md).
            "hour": policy.hour,
        }
        for user_id in sorted(reminded.get(deadline.id, ())):
            if user_id in users:
                if source.fixed_windows:
                    window = latest_fixed_window(last, source.fixed_windows)
                else:
                    window = latest_window(first, last, windows_of(preferences.get(user_id), policy), policy)
                if window:
                    subject = (
                        source.subject(deadline.title, last)
                        if source.subject
                        else _subject(source.label, deadline.title, last, escalation=False)
                    )
                    notifications.append(_build(users[user_id], preferences.get(user_id), window, subject, common))
        for user_id in sorted(escalated.get(deadline.id, ())):
            if user_id in users:
                subject = _subject(source.label, deadline.title, last, escalation=True)
                notifications.append(_build(users[user_id], preferences.get(user_id), ESCALATION, subject, common))
    return notifications


def _replan(batch: list[Deadline], now: datetime, policy: Policy) -> None:
    """Set each deadline's next look: the next day a window may start, at the policy's hour (one UPDATE per value)."""
    by_value: dict[datetime | None, list[int]] = defaultdict(list)
    for deadline in batch:
        planned = None
        if deadline.source in registry:
            rels = registry.get(deadline.source).fire_rels(policy)
            planned = next_remind_at(deadline.due_date, deadline.time_zone, now, policy, catch_up=False, rels=rels)
        by_value[planned].append(deadline.id)
    for planned, ids in by_value.items():
        Deadline.objects.filter(id__in=ids).update(next_remind_at=planned)


def reminders_sweep(*, now: datetime | None = None, batch_size: int = SWEEP_BATCH) -> SweepResult:
    """One sweep: discover changed items of discovering sources, then remind every deadline that is due."""
    now = now or timezone.now()
    policy = Policy.from_settings()
    result = SweepResult()
    for source in registry:
        if source.discover:
            result.discovered += deadlines_discover(source=source.key, now=now)
    while True:
        with transaction.atomic():
            batch = list(
                Deadline.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("case")
                .filter(next_remind_at__lte=now)
                .order_by("next_remind_at", "id")[:batch_size]
            )
            if not batch:
                break
            notifications = _notifications_for(batch, now, policy)
            outbox_add(notifications)
            _replan(batch, now, policy)
        result.deadlines += len(batch)
        result.notifications += len(notifications)
    for check in registry.clocks():
        with transaction.atomic():
            result.notifications += check(now=now)
    heartbeat_record(name="reminders-sweep")
    logger.log(
        logging.INFO if result.deadlines or result.discovered else logging.DEBUG,
        "Reminder sweep: %s deadlines discovered, %s due, %s notifications offered.",
        result.discovered,
        result.deadlines,
        result.notifications,
    )
    return result
