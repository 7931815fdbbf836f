"""List rows read with ``QuerySet.values()``: what a ModelSerializer returns, without building models.

A list page holds 25 to 100 rows. Building a model for each row and each related row, then sending every
field through DRF's field machinery, costs several times more than the query itself (docs/benchmarks.md).
The hot lists (tasks, cases, a case's timeline) therefore describe their rows here. Each output key is read
from one or more ``values()`` lookups and formatted like the serializer field it stands for. The serializer
stays the documented schema and answers the detail and write endpoints. A test renders both for the same
objects and compares them, so the two cannot drift apart.

    TASK_ROWS = Rows(id="id", case="case_id", assignee_name=person("assignee"), created_at=moment("created_at"))
    page = paginator.paginate_queryset(TASK_ROWS.values(queryset), request)
    data = TASK_ROWS.render(page)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import cached_property


class Column(NamedTuple):
    lookups: tuple[str, ...]
    value: Callable[..., object]


def _same(value):
    return value


def _moment(value):
    """DRF's ``DateTimeField().to_representation`` (ISO 8601 in the current time zone, UTC as ``Z``), without its
    per-call settings lookups: a list of 50 rows formats a few hundred of these."""
    return _iso(value, timezone.get_current_timezone())


def _name(full_name, email):
    return full_name or email


def moment(lookup: str) -> Column:
    """A datetime, in the current time zone and ISO 8601, as DRF's DateTimeField writes it."""
    return Column((lookup,), _moment)


def _iso(value, zone):
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def person(prefix: str) -> Column:
    """A user's display name (``str(user)``: full name, else email), None when there is no user."""
    return Column((f"{prefix}__full_name", f"{prefix}__email"), _name)


def computed(*lookups: str, value: Callable[..., object]) -> Column:
    return Column(lookups, value)


class Rows:
    """Output key -> a ``values()`` lookup (a string) or a Column."""

    def __init__(self, **columns: str | Column) -> None:
        self.columns = {
            key: Column((column,), _same) if isinstance(column, str) else column for key, column in columns.items()
        }
        self.lookups = list(dict.fromkeys(lookup for column in self.columns.values() for lookup in column.lookups))

    def values(self, queryset: QuerySet) -> QuerySet:
        return queryset.values(*self.lookups)

    def render(self, rows: Iterable[dict]) -> list[dict]:
        # One plan per Rows, read in the order of the columns: a plain lookup, a one-value format, or a computed
        # column (a list page renders a few thousand cells, so the common cases skip the argument list).
        plan = self._plan
        zone = timezone.get_current_timezone()  # Once per page, not once per cell.
        found = []
        for row in rows:
            item = {}
            for key, kind, lookup, value in plan:
                if kind == _PLAIN:
                    item[key] = row[lookup]
                elif kind == _MOMENT:
                    item[key] = _iso(row[lookup], zone)
                elif kind == _ONE:
                    item[key] = value(row[lookup])
                else:
                    item[key] = value(*[row[name] for name in lookup])
            found.append(item)
        return found

    @cached_property
    def _plan(self) -> list[tuple[str, int, object, Callable | None]]:
        plan = []
        for key, column in self.columns.items():
            if column.value is _same:
                plan.append((key, _PLAIN, column.lookups[0], None))
            elif column.value is _moment:
                plan.append((key, _MOMENT, column.lookups[0], None))
            elif len(column.lookups) == 1:
                plan.append((key, _ONE, column.lookups[0], column.value))
            else:
                plan.append((key, _MANY, column.lookups, column.value))
        return plan


_PLAIN, _MOMENT, _ONE, _MANY = range(4)


def grouped(pairs: Iterable[tuple[object, object]]) -> dict[object, list]:
    """[(key, value), …] -> {key: [value, …]}, keeping the order of the pairs."""
    found: dict[object, list] = {}
    for key, value in pairs:
        found.setdefault(key, []).append(value)
    return found
