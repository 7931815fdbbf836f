"""Keep ``Deadline`` rows in step with their sources: create, move (extensions) and close them.

Two ways in, both ending in ``deadline_sync``:

* the owning app calls ``deadline_sync`` inside the transaction of each change
  (tasks do: their reminders can never lag behind an edit);
* for sources registered with ``discover=True`` each sweep first runs
  ``deadlines_discover``, which finds items whose mirror is missing or stale with
  one anti-join, and mirrors closed or deleted items as closed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Left
from django.utils import timezone

from reminders.models import Deadline, Notification, NotificationStatus
from reminders.registry import DeadlineSource, registry
from reminders.windows import Policy, next_remind_at

SYNC_CHUNK = 1000
SYNC_FIELDS = ["case", "title", "due_date", "due_time", "time_zone", "next_remind_at", "closed_at", "updated_at"]


def _open_items(source: DeadlineSource):
    """The source's open items that have a due date (an item without one has nothing to remind)."""
    return source.queryset().filter(**{f"{source.due_date}__isnull": False})


def _source_rows(source: DeadlineSource, queryset) -> dict[int, dict]:
    fields = {
        "r_case": F(source.case),
        "r_due": F(source.due_date),
        "r_title": F(source.title),
        "r_zone": F(f"{source.case}__organization__time_zone"),
    }
    if source.due_time:
        fields["r_time"] = F(source.due_time)
    return {row["pk"]: row for row in queryset.values("pk", **fields)}


def _unsent(deadline_ids: list[int]):
    """Reminders nobody has had yet: waiting for email or a digest, or unread in the app."""
    return Notification.objects.filter(deadline_id__in=deadline_ids).filter(
        Q(status__in=(NotificationStatus.PENDING, NotificationStatus.DIGEST))
        | Q(status=NotificationStatus.IN_APP, read_at__isnull=True)
    )


def _drop_unsent(deadline_ids: list[int], *, except_due_date=None) -> None:
    unsent = _unsent(deadline_ids)
    if except_due_date is not None:
        unsent = unsent.exclude(due_date=except_due_date)
    unsent.update(status=NotificationStatus.CANCELLED, claimed_until=None)


def deadline_sync(*, source: str, object_ids: Iterable[int], now: datetime | None = None) -> list[Deadline]:
    """Mirror these items of `source` into Deadline rows. Call it inside the transaction of the change.

    An item that is no longer open (done, cancelled, deleted, no due date)
    closes its deadline and drops its unsent reminders. A moved due date (an
    extension) drops the unsent reminders of the old date and plans the new
    date's from now, so the window the deadline is in today is reminded.
    """
    src = registry.get(source)
    ids = sorted(set(object_ids))
    if not ids:
        return []
    now = now or timezone.now()
    policy = Policy.from_settings()
    rows = _source_rows(src, _open_items(src).filter(pk__in=ids))
    existing = {d.object_id: d for d in Deadline.objects.select_for_update().filter(source=source, object_id__in=ids)}
    created, changed, moved, closed = [], [], [], []
    for object_id in ids:
        row, deadline = rows.get(object_id), existing.get(object_id)
        if row is None:
            if deadline is not None and deadline.closed_at is None:
                deadline.closed_at, deadline.next_remind_at, deadline.updated_at = now, None, now
                closed.append(deadline)
            continue
        values = {
            "case_id": row["r_case"],
            "title": str(row["r_title"])[:300],
            "due_date": row["r_due"],
            "due_time": row.get("r_time"),
            "time_zone": row["r_zone"],
        }
        plan = next_remind_at(
            values["due_date"], values["time_zone"], now, policy, catch_up=True, rels=src.fire_rels(policy)
        )
        if deadline is None:
            created.append(Deadline(source=source, object_id=object_id, next_remind_at=plan, updated_at=now, **values))
            continue
        reopened = deadline.closed_at is not None
        rescheduled = (deadline.due_date, deadline.time_zone) != (values["due_date"], values["time_zone"])
        if not reopened and all(getattr(deadline, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(deadline, name, value)
        deadline.closed_at, deadline.updated_at = None, now
        if reopened or rescheduled:
            deadline.next_remind_at = plan
            moved.append(deadline)
        changed.append(deadline)
    # Two discovering sweeps may race to create the same mirror; the unique (source, object_id) keeps one.
    Deadline.objects.bulk_create(created, ignore_conflicts=True)
    Deadline.objects.bulk_update(changed + closed, SYNC_FIELDS)
    for deadline in moved:
        _drop_unsent([deadline.id], except_due_date=deadline.due_date)
    if closed:
        _drop_unsent([deadline.id for deadline in closed])
    return created + changed + closed


def deadlines_discover(*, source: str, now: datetime | None = None) -> int:
    """Find a source's new, moved and closed items without being told (sources with ``discover=True``)."""
    src = registry.get(source)
    open_items = _open_items(src)
    mirror = Deadline.objects.filter(
        source=src.key,
        object_id=OuterRef("pk"),
        closed_at__isnull=True,
        due_date=OuterRef(src.due_date),
        time_zone=OuterRef(f"{src.case}__organization__time_zone"),
        title=Left(OuterRef(src.title), 300),
    )
    if src.due_time:
        midnight = Value(time(0))
        mirror = mirror.annotate(_time=Coalesce("due_time", midnight)).filter(
            _time=Coalesce(OuterRef(src.due_time), midnight)
        )
    stale = list(open_items.filter(~Exists(mirror)).values_list("pk", flat=True))
    gone = list(
        Deadline.objects.filter(source=src.key, closed_at__isnull=True)
        .exclude(object_id__in=open_items.values("pk"))
        .values_list("object_id", flat=True)
    )
    ids = sorted(set(stale) | set(gone))
    for start in range(0, len(ids), SYNC_CHUNK):
        with transaction.atomic():
            deadline_sync(source=src.key, object_ids=ids[start : start + SYNC_CHUNK], now=now)
    return len(ids)
