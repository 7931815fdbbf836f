"""Calendar feed secrets: make one (shown once), revoke one."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from config.errors import NotFound
from tasks.models import CalendarFeed
from tasks.selectors import calendar_feed_hash


@transaction.atomic
def calendar_feed_create(*, user: User, name: str = "") -> tuple[CalendarFeed, str]:
    """A new secret feed URL token. Only its hash is kept: the caller shows the token once."""
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(user=user, name=name.strip()[:100], token_hash=calendar_feed_hash(token))
    feed.full_clean()
    feed.save()
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, user: User, feed_id: int) -> CalendarFeed:
    feed = CalendarFeed.objects.select_for_update().filter(pk=feed_id, user=user, revoked_at__isnull=True).first()
    if feed is None:
        raise NotFound("Calendar feed not found.")
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    return feed


def calendar_feed_used(*, feed: CalendarFeed) -> None:
    """Note when a calendar last fetched the feed (at most once a minute, to spare the database)."""
    now = timezone.now()
    if feed.last_used_at is None or (now - feed.last_used_at).total_seconds() > 60:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
