"""Putting notifications in the outbox: one row per person, only for cases they may see, as they chose.

Every writer of notifications (the sweep, task activity, digests) goes through
``outbox_add``: rows are inserted with the unique (target, window, recipient)
key so a repeat inserts nothing, and delivery is nudged once the transaction
commits. The nudge is only a shortcut: beat's periodic delivery sends whatever
a lost nudge left behind.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.conf import settings
from django.db import transaction

from accounts.models import User
from tasks.models import Notification, NotificationStatus, ReminderPreference
from tasks.reminders.preferences import STATUS_FOR_CHANNEL, channel_of, first_email_time
from workflow.access import visible_pairs

logger = logging.getLogger(__name__)


class CaseVisibility:
    """Which cases each person may see, remembered for one sweep or one delivery run.

    ``load()`` asks for many (person, case) pairs in one query (``workflow.access.visible_pairs``): a
    batch of 100 reminders costs one query, not one per recipient. ``can_see()`` answers from what was
    loaded and asks for a single pair only when it was not. What changes during the run is caught by the
    next one.
    """

    def __init__(self) -> None:
        self._seen: dict[tuple[int, int], bool] = {}

    def load(self, pairs) -> None:
        wanted = {(user, case_id) for user, case_id in pairs if (user.pk, case_id) not in self._seen}
        if wanted:
            visible = visible_pairs(wanted)
            self._seen.update({(user.pk, case_id): (user.pk, case_id) in visible for user, case_id in wanted})

    def can_see(self, user: User, case_id: int) -> bool:
        if (user.pk, case_id) not in self._seen:
            self.load([(user, case_id)])
        return self._seen[(user.pk, case_id)]


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
) -> Notification:
    status = STATUS_FOR_CHANNEL[channel_of(preference, kind)]
    send_at = now
    if status == NotificationStatus.PENDING:
        send_at = first_email_time(now, user.time_zone, preference, settings.DIGEST_HOUR)
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


def delivery_nudge() -> None:
    """Ask a worker to deliver now. A dead broker must neither fail nor slow the request that got us here.

    Its own connection, tried once: the pooled producer would retry for seconds first (kombu's and
    redis-py's back-off), and a web request must not wait for that.
    """
    from tasks.tasks import notifications_deliver

    app = notifications_deliver.app
    try:
        if app.conf.task_always_eager:
            notifications_deliver.apply_async()
            return
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)
            notifications_deliver.apply_async(connection=connection, retry=False)
    except Exception as exc:  # kombu raises several kinds; all mean "beat's next delivery run will do it".
        logger.warning("Could not nudge notification delivery (%s); the periodic delivery will send it.", exc)
