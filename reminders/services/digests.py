"""The daily digest: one email per person per day, in their morning, gathering what they chose to get that way.

Beat calls ``digests_start`` every quarter of an hour. For each person with
reminders waiting for a digest whose local time has passed ``DIGEST_HOUR`` (and
whose day is not a quiet day) it creates the day's digest notification, keyed
by (``digest``, local date, person) so there is never a second one that day,
and attaches the waiting reminders to it. The digest then goes out through the
ordinary outbox delivery, with its retries.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reminders.models import Notification, NotificationStatus
from reminders.preferences import DIGEST_KIND, is_quiet_day
from reminders.services.outbox import delivery_nudge, recipients_load


def _local_date_text(day) -> str:
    return f"{day:%A, %B} {day.day}, {day.year}"


def digests_start(*, now: datetime | None = None) -> int:
    """Start today's digest for everyone for whom it is morning now. Returns how many digests were made."""
    now = now or timezone.now()
    waiting = (
        Notification.objects.filter(status=NotificationStatus.DIGEST)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by()
    )
    users, preferences = recipients_load(list(waiting))
    made = 0
    for user in users.values():
        local = now.astimezone(ZoneInfo(user.time_zone))
        if local.hour < settings.DIGEST_HOUR or is_quiet_day(now, user.time_zone, preferences.get(user.id)):
            continue
        with transaction.atomic():
            digest, created = Notification.objects.get_or_create(
                target=DIGEST_KIND,
                window=local.date().isoformat(),
                recipient=user,
                defaults={
                    "kind": DIGEST_KIND,
                    "subject": f"Your JMHCP Workflow digest for {_local_date_text(local.date())}",
                    "status": NotificationStatus.PENDING,
                    "next_attempt_at": now,
                    "created_at": now,
                },
            )
            if not created:
                continue  # Today's digest is made (and maybe sent): later reminders wait for tomorrow's.
            count = Notification.objects.filter(
                recipient=user, status=NotificationStatus.DIGEST, created_at__lte=now
            ).update(digest=digest, status=NotificationStatus.DIGESTED)
            digest.body = f"{count} reminder{'s' if count != 1 else ''}."
            digest.save(update_fields=["body"])
            made += 1
    if made:
        transaction.on_commit(delivery_nudge)
    return made
