"""Reads of a person's "Waiting for me" queue: the open items (``WaitingItem``) that wait on them.

One query: the rows held by the user (named, or through an active membership with the row's organization and
role), minus those they may not clear, on cases they may see (``workflow.access.case_access_exists``), one row
per item, most urgent first: overdue, then due soonest, then waiting longest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from config.errors import ServiceError
from reminders.models import WaitingItem
from workflow.access import VIEW, case_access_exists, membership_access
from workflow.routing import step_choices

FIELDS = ("step", "case_id", "object_id", "action", "url", "comment", "since", "due_date", "due_at")
# What makes two rows one item (a UNION over these counts items without reading their text).
ITEM = ("step", "case_id", "object_id", "action")
ROLE = "member_role"
URGENCY = (F("due_date").asc(nulls_last=True), F("due_at").asc(nulls_last=True), "since", "step", "object_id")


def queue_for_user(*, user: User, kind: str | None = None) -> QuerySet:
    """The user's open items as dicts of ``FIELDS``, most urgent first; `kind` narrows to one step.

    A UNION of the rows held through the user's active memberships (joined on organization and role, each checked
    against its case for that very membership: ``workflow.access.membership_access``) and the rows naming the
    user (checked with ``case_access_exists``); the UNION also makes an item held both ways one row.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return WaitingItem.objects.none().values(*FIELDS)
    if kind and kind not in dict(step_choices()):
        raise ServiceError(f"“{kind}” is not a kind of waiting item.", field="kind", code="invalid_choice")
    through_memberships, named = _held(user=user, kind=kind)
    return _union(through_memberships, named, FIELDS).order_by(*URGENCY)


def _held(*, user: User, kind: str | None = None) -> tuple[QuerySet, QuerySet]:
    """The rows held through the user's memberships, and the rows naming the user, each checked for access."""
    mine = WaitingItem.objects.exclude(except_user=user)
    if kind:
        mine = mine.filter(step=kind)
    through_memberships = mine.filter(
        organization__is_active=True,
        organization__memberships__user=user,
        organization__memberships__is_active=True,
        organization__memberships__role=F("member_role"),
    ).filter(membership_access(VIEW, case_field="case_id", organization_field="organization_id", role_field=ROLE))
    named = mine.filter(user=user).filter(Q(case__isnull=True) | case_access_exists(user, VIEW, case_field="case_id"))
    return through_memberships, named


def _union(through_memberships: QuerySet, named: QuerySet, fields) -> QuerySet:
    return through_memberships.values(*fields).union(named.values(*fields))


def queue_count(*, user: User) -> int:
    """How many items wait on the user: one query (the navigation shows it on every page)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return 0
    return _union(*_held(user=user), ITEM).count()


@dataclass(frozen=True)
class Clock:
    overdue: bool
    days: int | None  # Overdue by (positive) or due in (negative) whole days, in the reader's zone.
    text: str


def clock_of(row: dict, *, now: datetime, zone: str) -> Clock | None:
    due_at, due_date = row["due_at"], row["due_date"]
    if due_at is None and due_date is None:
        return None
    local = ZoneInfo(zone)
    today = now.astimezone(local).date()
    day: date = due_at.astimezone(local).date() if due_at is not None else due_date
    overdue = due_at < now if due_at is not None else day < today
    days = (today - day).days
    if overdue:
        if days <= 0:
            hours = max(1, int((now - due_at).total_seconds() // 3600))
            return Clock(True, 0, f"overdue by {hours} hour{'s' if hours != 1 else ''}")
        return Clock(True, days, f"overdue by {days} day{'s' if days != 1 else ''}")
    if days == 0:
        return Clock(False, 0, "due today")
    return Clock(False, days, f"due in {-days} day{'s' if days != -1 else ''}")


def queue_item(row: dict, *, now: datetime, zone: str, labels: dict[str, str], titles: dict[int, str]) -> dict:
    """One queue row as the API and the page show it."""
    clock = clock_of(row, now=now, zone=zone)
    case_id = row["case_id"]
    return {
        "kind": row["step"],
        "kind_label": labels.get(row["step"], row["step"]),
        "action": row["action"],
        "url": row["url"],
        "case": case_id,
        "case_title": titles.get(case_id),
        "case_url": reverse("case-detail", args=[case_id]) if case_id else None,
        "object_id": row["object_id"],
        "comment": row["comment"],
        "since": row["since"],
        "due_date": row["due_date"] or (row["due_at"].astimezone(ZoneInfo(zone)).date() if row["due_at"] else None),
        "due_at": row["due_at"],
        "overdue": bool(clock and clock.overdue),
        "clock": clock.text if clock else "",
    }


def queue_items(rows, *, user: User) -> list[dict]:
    """A page of rows as the API and the pages show them; their cases' titles in one query (read for the page,
    not for every row the queue's UNION compares)."""
    from workflow.models import Case

    rows = list(rows)
    now = timezone.now()
    labels = dict(step_choices())
    ids = {row["case_id"] for row in rows if row["case_id"]}
    titles = dict(Case.objects.filter(pk__in=ids).values_list("pk", "title")) if ids else {}
    return [queue_item(row, now=now, zone=user.time_zone, labels=labels, titles=titles) for row in rows]
