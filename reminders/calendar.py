"""Calendar feeds: a user's deadlines as an RFC 5545 calendar for subscription (Outlook, Google, Apple).

A feed is a secret URL. Only a hash of its token is stored, so the URL is shown
once, when it is made; revoking it (or deactivating its owner) makes it answer 404.

Each deadline is one VEVENT whose UID is fixed by its source and item
(``task-42@host``), so a client that fetches the feed again updates the event
after an extension instead of adding a second one. A date-only deadline is an
all-day event; one with a time starts at that moment (given in UTC).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from icalendar import Calendar, Event, vDuration

from accounts.models import User
from config.errors import NotFound
from reminders.models import CalendarFeed, Deadline
from reminders.registry import registry
from workflow.access import VIEW, case_access

PRODUCT_ID = "-//JMHCP Workflow//Deadlines//EN"
FEED_PAST_DAYS = 90


def calendar_feed_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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


def calendar_feed_for_token(*, token: str) -> CalendarFeed | None:
    """The live feed this secret opens, or None (revoked, unknown, or its owner deactivated)."""
    return (
        CalendarFeed.objects.filter(token_hash=calendar_feed_hash(token), revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .first()
    )


def calendar_feed_list(*, user: User) -> QuerySet[CalendarFeed]:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True)


def deadline_list_for_feed(*, user: User) -> QuerySet[Deadline]:
    """Open deadlines the user may see, for their calendar: each source may narrow its own rows."""
    if not user.is_active:
        return Deadline.objects.none()
    since = timezone.localdate() - timedelta(days=FEED_PAST_DAYS)
    sources = Q(pk__in=[])
    for source in registry:
        sources |= source.feed_condition(user)
    return (
        Deadline.objects.filter(
            case_access(user, VIEW, case_field="case_id"), closed_at__isnull=True, due_date__gte=since
        )
        .filter(sources)
        .select_related("case")
        .order_by("due_date", "id")
    )


def _host() -> str:
    return urlparse(settings.SITE_URL).hostname or "jmhcp.example"


def deadline_uid(deadline: Deadline) -> str:
    return f"{deadline.source}-{deadline.object_id}@{_host()}"


def _event(deadline: Deadline) -> Event:
    source = registry.get(deadline.source) if deadline.source in registry else None
    label = source.label if source else deadline.source.replace("_", " ").capitalize()
    url = settings.SITE_URL + (source.url_for(deadline) if source else "")
    event = Event()
    event.add("uid", deadline_uid(deadline))
    event.add("dtstamp", deadline.updated_at.astimezone(UTC))
    event.add("last-modified", deadline.updated_at.astimezone(UTC))
    event.add("summary", f"{label} due: {deadline.title}")
    event.add("description", f"Case: {deadline.case.title}\n{url}")
    event.add("url", url)
    event.add("categories", [label])
    event.add("transp", "TRANSPARENT")
    if deadline.due_time is None:
        event.add("dtstart", deadline.due_date)
        event.add("dtend", deadline.due_date + timedelta(days=1))
    else:
        moment = datetime.combine(deadline.due_date, deadline.due_time, tzinfo=ZoneInfo(deadline.time_zone))
        event.add("dtstart", moment.astimezone(UTC))
    return event


def calendar_render(*, deadlines, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    # RFC 7986 and its widely read predecessor: ask clients to refresh hourly.
    calendar.add("refresh-interval", vDuration(timedelta(hours=1)), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(timedelta(hours=1)))
    for deadline in deadlines:
        calendar.add_component(_event(deadline))
    return calendar.to_ical()
