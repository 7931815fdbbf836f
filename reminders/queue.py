"""Reads of a person's "Waiting for me" queue: the open items (``WaitingItem``) that wait on them.

One query: the rows held by the user (named, or through an active membership with the row's organization and
role), minus those they may not clear, on cases they may see (``workflow.access.reach_sql``), one row
per item, most urgent first: overdue, then due soonest, then waiting longest (``Queue`` says how it is read).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from config.errors import ServiceError
from reminders.models import WaitingItem
from workflow.access import memberships, participation_sql, reach_sql
from workflow.models import Case
from workflow.routing import step_choices

FIELDS = ("step", "case_id", "object_id", "action", "url", "comment", "since", "due_date", "due_at")
# What makes two rows one item, and the order of a queue: most urgent first.
ITEM = ("step", "case_id", "object_id", "action")
URGENCY = ("due_date", "due_at", "since", "step", "object_id")


def queue_for_user(*, user: User, kind: str | None = None) -> Queue:
    """The user's open items as dicts of ``FIELDS`` (and ``case_title``), most urgent first; `kind` narrows to one
    step. Sliced, counted and iterated as a queryset is (the paginators do all three)."""
    if kind and kind not in dict(step_choices()):
        raise ServiceError(f"“{kind}” is not a kind of waiting item.", field="kind", code="invalid_choice")
    return Queue(user, kind)


def queue_count(*, user: User) -> int:
    """How many items wait on the user: one query (the navigation shows it on every page)."""
    return Queue(user).count()


#: The navigation's count stops here and says "99+": every page shows it, and counting a grant manager's 3,500 held
#: rows (10 ms) to print a number nobody reads past two digits is the costliest part of a page's header.
NAV_CAP = 100


def request_queue_count(request) -> int:
    """How many items wait on the signed-in user, up to ``NAV_CAP``, counted once per request (the dashboard may have
    read the exact total with its rows, and the navigation then shows that)."""
    if not hasattr(request, "_queue_count"):
        request._queue_count = queue_for_user(user=request.user)[:NAV_CAP].count()
    return request._queue_count


def _sources(*, user: User, kind: str | None = None) -> list[tuple[str, list]]:
    """The rows held through each of the user's memberships, then the rows naming the user, as SQL conditions on a
    ``WaitingItem`` row aliased ``{w}`` with their parameters; each checked for access.

    The memberships are constants (``workflow.access.memberships``: read with the API token, else once per page),
    so each (organization, role) pair walks ``waiting_org_idx`` in the queue's order. A row held through a
    membership must be on a case where that organization takes part in a role that gives that membership role the
    view right (``workflow.access.participation_sql``); a named row, on a case the user reaches (``reach_sql``).
    Written as SQL rather than built with the ORM: the queue is counted on every page, and building and compiling
    its querysets cost several times the query itself (docs/benchmarks.md).
    """
    mine, params = "({w}.except_user_id IS NULL OR {w}.except_user_id <> %s)", [user.pk]
    if kind:
        mine, params = mine + " AND {w}.step = %s", [*params, kind]
    sources = []
    for organization, role in dict.fromkeys(memberships(user)):
        check = participation_sql("{w}.case_id", role)
        if check is not None:
            sql, parts = check
            condition = f"{{w}}.organization_id = %s AND {{w}}.member_role = %s AND {mine} AND {sql}"
            sources.append((condition, [organization, role, *params, organization, *parts]))
    named = f"{{w}}.user_id = %s AND {mine} AND ({{w}}.case_id IS NULL OR {reach_sql('{w}.case_id')})"
    sources.append((named, [user.pk, *params, user.pk]))
    return sources


def _source_sql(index: int, sources: list[tuple[str, list]]) -> tuple[str, list]:
    """Source `index`'s rows, narrow columns only, without the items an earlier source holds (an item held two ways
    is one item, kept by the first source that holds it)."""
    table = WaitingItem._meta.db_table
    condition, params = sources[index]
    sql = (
        f"SELECT w.id, {', '.join('w.' + field for field in (*ITEM, *URGENCY[:3]))} FROM {table} w "  # nosec B608
        f"WHERE {condition.format(w='w')}"
    )
    for earlier, earlier_params in sources[:index]:
        same = " AND ".join(f"e.{field} = w.{field}" for field in ITEM)
        sql += f" AND NOT EXISTS (SELECT 1 FROM {table} e WHERE {same} AND {earlier.format(w='e')})"  # nosec B608
        params = [*params, *earlier_params]
    return sql, params


class Queue:
    """A person's queue: one ordered walk per source, merged and cut to the page.

    Each source (a membership's organization and role, or the rows naming the person) is read from an index that
    covers the item and keeps it in the queue's order (``waiting_org_idx``, ``waiting_user_idx``), so PostgreSQL
    merges the sources' walks and stops at the page's last row; only the page's rows are then read in full, with
    their case's title. An item held two ways is kept by the first source that holds it. ``count`` reads every
    held row's index entry; the dashboard asks for the total with its first rows (``with_total``). The first
    version, a UNION over every field, read and hashed each held row whole: for a grant manager's 3,500 items,
    23 ms of SQL for any page (docs/benchmarks.md).
    """

    ORDER = ("due_date ASC NULLS LAST", "due_at ASC NULLS LAST", "since", "step", "object_id")

    def __init__(self, user: User, kind: str | None = None, *, start: int = 0, stop: int | None = None,
                 total: bool = False) -> None:  # fmt: skip
        self.user, self.kind, self.start, self.stop, self.total_wanted = user, kind, start, stop, total
        self._rows: list[dict] | None = None

    def with_total(self) -> Queue:
        """The same slice, whose read also counts every item (a window count, so the whole queue is read)."""
        return Queue(self.user, self.kind, start=self.start, stop=self.stop, total=True)

    def _empty(self) -> bool:
        user = self.user
        return user is None or not user.is_authenticated or not user.is_active

    def _items_sql(self) -> tuple[str, list]:
        """Every source's rows, narrow columns only (the covering indexes hold them), as one UNION ALL."""
        if not hasattr(self, "_items_cache"):
            sources = _sources(user=self.user, kind=self.kind)
            parts, params = [], []
            for index in range(len(sources)):
                sql, found = _source_sql(index, sources)
                parts.append(f"SELECT * FROM ({sql}) s{index}")  # nosec B608 (constants and parameters)
                params.extend(found)
            self._items_cache = " UNION ALL ".join(parts), params  # The named rows always make one part.
        return self._items_cache

    def _slice(self) -> str:
        limit = "" if self.stop is None else f" LIMIT {int(self.stop - self.start)}"
        return limit + (f" OFFSET {int(self.start)}" if self.start else "")

    def sql(self) -> tuple[str, list]:
        """The page's query (for EXPLAIN too)."""
        items, params = self._items_sql()
        total = "COUNT(*) OVER ()" if self.total_wanted else "NULL"
        page = f"SELECT i.*, {total} AS total FROM ({items}) i ORDER BY {', '.join(self.ORDER)}{self._slice()}"  # nosec B608
        columns = ", ".join(f"w.{field}" for field in FIELDS)
        sql = (
            f"SELECT {columns}, c.title, p.total FROM ({page}) p "  # nosec B608
            f"JOIN {WaitingItem._meta.db_table} w ON w.id = p.id "
            f"LEFT JOIN {Case._meta.db_table} c ON c.id = w.case_id "
            f"ORDER BY {', '.join('p.' + part for part in self.ORDER)}"
        )
        return sql, params

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1]._fetch()[0]
        if index.step is not None:
            raise TypeError("A queue is sliced without steps.")
        start = self.start + (index.start or 0)
        stop = index.stop if index.stop is None else self.start + index.stop
        if self.stop is not None:
            stop = self.stop if stop is None else min(stop, self.stop)
        return Queue(self.user, self.kind, start=start, stop=stop, total=self.total_wanted)

    def __iter__(self):
        return iter(self._fetch())

    def __len__(self) -> int:
        return len(self._fetch())

    def _fetch(self) -> list[dict]:
        if self._rows is None:
            if self._empty():
                self._rows, self._total = [], 0
            else:
                sql, params = self.sql()
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    found = cursor.fetchall()
                self._rows = [{**dict(zip(FIELDS, row[:-2], strict=True)), "case_title": row[-2]} for row in found]
                if self.total_wanted and (found or not self.start):  # An empty first page: nothing waits.
                    self._total = found[0][-1] if found else 0
        return self._rows

    def total(self) -> int:
        """Every item of the queue, sliced or not: read with the page when asked for (``with_total``), else counted."""
        self._fetch()
        known = getattr(self, "_total", None)
        return Queue(self.user, self.kind).count() if known is None else known

    def count(self) -> int:
        """How many items (one per item however many ways it is held), within the slice if sliced."""
        if self._empty():
            return 0
        if self._rows is not None:
            return len(self._rows)
        items, params = self._items_sql()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM ({items}) i{self._slice()}) n", params)  # nosec B608
            return cursor.fetchone()[0]


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
    """A page of rows as the API and the pages show them (their cases' titles came with them)."""
    rows = list(rows)
    now = timezone.now()
    labels = dict(step_choices())
    titles = {row["case_id"]: row.get("case_title") for row in rows if row["case_id"]}
    return [queue_item(row, now=now, zone=user.time_zone, labels=labels, titles=titles) for row in rows]
