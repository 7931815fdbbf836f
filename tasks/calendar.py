"""A user's deadlines as an RFC 5545 calendar for subscription (Outlook, Google Calendar, Apple Calendar).

Each deadline is one VEVENT whose UID is fixed by its source and item
(``task-42@host``), so a client that fetches the feed again updates the event
after an extension instead of adding a second one. A date-only deadline is an
all-day event; one with a time starts at that moment (given in UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, vDuration

from tasks.models import Deadline
from tasks.reminders.registry import registry

PRODUCT_ID = "-//JMHCP Workflow//Deadlines//EN"


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
