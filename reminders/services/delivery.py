"""Delivery: claim outbox rows, email them, record the result; retry with backoff, give up after N tries.

A worker claims a batch with one conditional UPDATE (rows that are pending,
due, and not claimed by a live claim), tagging them with its own token. Each
message is marked sent right after the SMTP server accepted it, so a worker
killed mid-batch leaves at most the message in flight unrecorded. Its other
claimed rows are picked up by the next worker once the claim lapses
(``NOTIFICATION_CLAIM_SECONDS``). One SMTP connection serves the whole run.
"""

from __future__ import annotations

import logging
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from operations.services import heartbeat_record
from reminders.emails import notification_email
from reminders.models import Notification, NotificationStatus
from reminders.preferences import DIGEST_KIND
from workflow.access import visible_pairs

logger = logging.getLogger(__name__)
PENDING = NotificationStatus.PENDING


@dataclass
class DeliveryResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0


def _claimable(now: datetime):
    return Notification.objects.filter(status=PENDING, next_attempt_at__lte=now).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def notifications_claim(*, limit: int, now: datetime | None = None) -> tuple[uuid.UUID, list[Notification]]:
    """Take up to `limit` due rows for this worker: ``UPDATE … WHERE unclaimed`` then read back by token."""
    now = now or timezone.now()
    token = uuid.uuid4()
    candidates = list(_claimable(now).order_by("next_attempt_at", "id").values_list("id", flat=True)[:limit])
    if not candidates:
        return token, []
    until = now + timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)
    # The WHERE is checked again against each row as it is updated: of two workers, one gets each row.
    _claimable(now).filter(id__in=candidates).update(claimed_until=until, claim_token=token)
    claimed = Notification.objects.filter(id__in=candidates, claim_token=token, status=PENDING).select_related(
        "recipient", "deadline", "case"
    )
    return token, list(claimed.order_by("recipient_id", "id"))


def _finish(notification: Notification, token: uuid.UUID, **fields) -> bool:
    """Record the outcome, only if the row is still ours (a lapsed claim may have passed to another worker)."""
    fields.setdefault("claimed_until", None)
    return bool(
        Notification.objects.filter(pk=notification.pk, claim_token=token, status=PENDING).update(
            attempts=F("attempts") + 1, **fields
        )
    )


def _mark_sent(notification: Notification, token: uuid.UUID) -> bool:
    """``_finish(status=sent)`` as one prepared UPDATE: the hot path runs once per email, and the ORM's
    compile step cost more than the statement itself."""
    meta = Notification._meta

    def value(field: str, raw):
        return meta.get_field(field).get_db_prep_value(raw, connection)

    changes = "status = %s, sent_at = %s, claimed_until = NULL, attempts = attempts + 1, last_error = ''"
    claimed = "id = %s AND claim_token = %s AND status = %s"
    # Only the model's own table name is formatted in; every value is a parameter.
    sql = f"UPDATE {meta.db_table} SET {changes} WHERE {claimed}"  # nosec B608
    params = [NotificationStatus.SENT, value("sent_at", timezone.now()), notification.pk,
              value("claim_token", token), PENDING]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


def _failed(notification: Notification, token: uuid.UUID, error: Exception, result: DeliveryResult) -> None:
    attempts = notification.attempts + 1
    message = f"{type(error).__name__}: {error}"[:500]
    if attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        _finish(notification, token, status=NotificationStatus.FAILED, last_error=message)
        result.failed += 1
        logger.error("Notification %s failed for good after %s attempts: %s", notification.pk, attempts, message)
        return
    delay = settings.NOTIFICATION_RETRY_SECONDS * 2 ** (attempts - 1)
    _finish(notification, token, next_attempt_at=timezone.now() + timedelta(seconds=delay), last_error=message)
    result.retrying += 1
    logger.warning(
        "Notification %s not sent (attempt %s), retrying in %ss: %s", notification.pk, attempts, delay, message
    )


class CaseVisibility:
    """Which cases each person may see, remembered for one delivery run.

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


class _Checks:
    """Is this row still worth sending? Case visibility is asked once per recipient in a delivery run."""

    def __init__(self) -> None:
        self.visibility = CaseVisibility()

    def can_see(self, notification: Notification) -> bool:
        return notification.case_id is None or self.visibility.can_see(notification.recipient, notification.case_id)

    def wanted(self, notification: Notification) -> bool:
        if not notification.recipient.is_active or not self.can_see(notification):
            return False
        deadline = notification.deadline
        # A reminder for a closed deadline, or for a due date that has since moved, is not sent.
        return deadline is None or (deadline.closed_at is None and deadline.due_date == notification.due_date)

    def digest_items(self, digest: Notification) -> list[Notification]:
        items = digest.items.select_related("deadline", "case", "recipient").order_by("due_date", "id")
        return [item for item in items if self.wanted(item)]


def _close_quietly(email) -> None:
    try:
        email.close()
    except Exception:  # A broken SMTP session may fail to QUIT; the next open() starts afresh.
        logger.debug("Closing the email connection failed", exc_info=True)
    if hasattr(email, "connection"):
        email.connection = None


def _send_batch(email, token, batch, claimed_at: float, result: DeliveryResult, checks: _Checks) -> None:
    checks.visibility.load((row.recipient, row.case_id) for row in batch if row.case_id is not None)
    for position, notification in enumerate(batch):
        if time.monotonic() - claimed_at > settings.NOTIFICATION_CLAIM_SECONDS / 2:
            # Running long (a slow SMTP server): hand back the rest before the claim lapses under us.
            rest = [row.pk for row in batch[position:]]
            Notification.objects.filter(pk__in=rest, claim_token=token, status=PENDING).update(claimed_until=None)
            return
        try:
            items = checks.digest_items(notification) if notification.kind == DIGEST_KIND else None
            if not checks.wanted(notification) or items == []:
                _finish(notification, token, status=NotificationStatus.CANCELLED, last_error="No longer relevant.")
                result.cancelled += 1
                continue
            message = notification_email(notification, items=items)
            email.open()
            email.send_messages([message])
        except Exception as error:
            _close_quietly(email)
            _failed(notification, token, error, result)
            continue
        if _mark_sent(notification, token):
            result.sent += 1


@contextmanager
def _unflushed_commits():
    """On PostgreSQL, don't wait for the disk at each "sent" mark (``synchronous_commit = off``).

    Each mark is its own commit, so that a killed worker leaves at most one message unrecorded; waiting
    for fsync at each one would cap delivery at a few hundred per second. A killed worker loses nothing
    this way (the server has the commit); only a crash of PostgreSQL itself could forget the last
    fraction of a second of marks, and those emails would then be sent once more.
    """
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")


def notifications_deliver(*, batch_size: int | None = None, time_budget: float = 120.0) -> DeliveryResult:
    """Send every due outbox row, a batch at a time, over one reused email connection."""
    batch_size = batch_size or settings.NOTIFICATION_BATCH_SIZE
    result = DeliveryResult()
    started = time.monotonic()
    checks = _Checks()
    email = get_connection(fail_silently=False)
    with _unflushed_commits():
        _deliver_all(email, checks, result, batch_size=batch_size, until=started + time_budget)
    heartbeat_record(name="notifications-deliver")
    if result.sent or result.failed or result.retrying:
        logger.info("Delivery: %s", result)
    return result


def _deliver_all(email, checks: _Checks, result: DeliveryResult, *, batch_size: int, until: float) -> None:
    try:
        while time.monotonic() < until:
            token, batch = notifications_claim(limit=batch_size)
            if not batch:
                break
            _send_batch(email, token, batch, time.monotonic(), result, checks)
    finally:
        _close_quietly(email)
