"""Putting notifications in the outbox: one row per person, on the channel they chose.

Every writer of notifications (the sweep, task activity, digests) goes through
``outbox_add``: rows are inserted with the unique (target, window, recipient)
key so a repeat inserts nothing, and delivery is nudged once the transaction
commits. The nudge is only a shortcut: beat's periodic delivery sends whatever
a lost nudge left behind.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.conf import settings
from django.db import transaction

from accounts.models import User
from reminders.models import Notification, NotificationStatus, ReminderPreference
from reminders.preferences import STATUS_FOR_CHANNEL, channel_of, first_email_time, not_before_hour


def recipients_load(user_ids) -> tuple[dict[int, User], dict[int, ReminderPreference]]:
    """Active users and their preferences, in two queries."""
    users = {user.id: user for user in User.objects.filter(id__in=set(user_ids), is_active=True)}
    preferences = {p.user_id: p for p in ReminderPreference.objects.filter(user_id__in=users)}
    return users, preferences


def notification_build(
    *,
    user: User,
    preference: ReminderPreference | None,
    kind: str,
    target: str,
    window: str,
    subject: str,
    now: datetime,
    body: str = "",
    url: str = "",
    case_id: int | None = None,
    deadline_id: int | None = None,
    due_date: date | None = None,
    hour: int | None = None,
) -> Notification:
    """One person's notification. `hour`: email it no earlier than that hour in the person's zone (reminders)."""
    status = STATUS_FOR_CHANNEL[channel_of(preference, kind)]
    send_at = now
    if status == NotificationStatus.PENDING:
        send_at = now if hour is None else not_before_hour(now, user.time_zone, hour)
        send_at = first_email_time(send_at, user.time_zone, preference, settings.DIGEST_HOUR)
    return Notification(
        recipient=user,
        kind=kind,
        target=target,
        window=window,
        subject=subject[:250],
        body=body,
        url=url,
        case_id=case_id,
        deadline_id=deadline_id,
        due_date=due_date,
        status=status,
        next_attempt_at=send_at,
        created_at=now,
    )


def outbox_add(notifications: list[Notification]) -> None:
    """Insert, skipping any whose key exists; nudge delivery after commit if some are to be emailed."""
    if not notifications:
        return
    Notification.objects.bulk_create(notifications, ignore_conflicts=True, batch_size=1000)
    if any(notification.status == NotificationStatus.PENDING for notification in notifications):
        transaction.on_commit(delivery_nudge)


_nudge: Callable[[], None] | None = None


def delivery_nudge_register(nudge: Callable[[], None]) -> None:
    """Set what asks a worker to deliver now (``RemindersConfig.ready()`` gives the Celery task's enqueue).

    A registered callable rather than an import: this service sits below the Celery layer and must not
    call up into it. Until one is registered nothing is nudged, and beat's periodic delivery sends it all.
    """
    global _nudge
    _nudge = nudge


def delivery_nudge() -> None:
    """Ask for delivery now (run on commit). The registered callable must neither fail nor slow the request."""
    if _nudge is not None:
        _nudge()
