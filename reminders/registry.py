"""The one registry of things that have a due date and are reminded about.

An app that owns a kind of deadline declares it in its own ``reminders.py`` and
registers it from its ``AppConfig.ready()`` (``grants/reminders.py``)::

    from reminders.registry import DeadlineSource, registry

    def offered_awards():
        return Award.objects.filter(case__stage="offered")  # open items only

    registry.register(DeadlineSource(
        key="award_acceptance",
        label="Award acceptance",
        queryset=offered_awards,
        due_date="acceptance_due",
    ))

The sweep then mirrors those items into ``Deadline`` rows, reminds the case's
lead organization (or whoever ``recipients`` names), escalates to its admins,
and lists them in calendar feeds. docs/reminders.md explains every option.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse

from accounts.models import Membership, Role

WORKING_ROLES = (Role.ADMIN, Role.MEMBER)
Recipients = dict[int, set[int]]  # Deadline id -> user ids


def organization_members(organization_ids: Iterable[int], roles: Iterable[str] = WORKING_ROLES) -> dict[int, set[int]]:
    """Active members with one of `roles`, per organization (one query)."""
    members: dict[int, set[int]] = defaultdict(set)
    rows = (
        Membership.objects.active()
        .filter(organization_id__in=set(organization_ids), role__in=list(roles))
        .values_list("organization_id", "user_id")
    )
    for organization_id, user_id in rows:
        members[organization_id].add(user_id)
    return members


def lead_members(deadlines: list, roles: Iterable[str] = WORKING_ROLES) -> Recipients:
    """Members of each deadline's lead (owning) organization: the default recipients."""
    members = organization_members({deadline.case.organization_id for deadline in deadlines}, roles)
    return {deadline.id: set(members.get(deadline.case.organization_id, ())) for deadline in deadlines}


def lead_admins(deadlines: list) -> Recipients:
    return lead_members(deadlines, roles=(Role.ADMIN,))


@dataclass(frozen=True)
class DeadlineSource:
    """How to find one kind of deadline and whom to remind of it.

    key: stable name, stored on every Deadline and Notification, and the "kind" users choose a channel for.
    label: what people read ("Task", "Award acceptance").
    queryset: a callable returning the OPEN items that have a due date (closed items get no reminders).
    case, due_date, due_time, title: field paths on those items (due_time may be None).
    recipients / escalation: callables taking a list of Deadline rows (with ``case`` loaded) and returning
        {deadline id: user ids}; default: active admins and members / admins of the case's lead organization.
        Whoever they name is still filtered by ``Case.objects.visible_to``.
    url: callable(deadline) -> path of the item; default: the case page.
    feed_filter: callable(user) -> Q on Deadline narrowing this source's rows in that user's calendar feed.
    discover: True lets each sweep find new, moved and closed items itself (one anti-join over the open
        items); set False when the owning app calls ``deadline_sync`` in the same transaction as each change.
    fixed_windows: (window name, day relative to the due date) pairs sent to every recipient whatever their
        "days before" choices, e.g. (("before-60", -60), ("expired", 0)); no overdue reminders, no escalation.
        Empty: the per-person windows of ``reminders.windows``.
    subject: callable(title, rel) -> the email's subject, naming the action (rel: today minus the due date);
        default "<label> “<title>” is due in 5 days".
    """

    key: str
    label: str
    queryset: Callable[[], QuerySet]
    case: str = "case"
    due_date: str = "due_date"
    due_time: str | None = None
    title: str = "title"
    recipients: Callable[[list], Recipients] = lead_members
    escalation: Callable[[list], Recipients] = lead_admins
    url: Callable | None = None
    feed_filter: Callable | None = None
    discover: bool = True
    fixed_windows: tuple[tuple[str, int], ...] = ()
    subject: Callable[[str, int], str] | None = None

    def fire_rels(self, policy) -> list[int]:
        """The days on which one of this source's windows may start (the sweep's stops)."""
        return sorted({rel for _, rel in self.fixed_windows}) if self.fixed_windows else policy.fire_rels()

    def url_for(self, deadline) -> str:
        if self.url is not None:
            return self.url(deadline)
        return reverse("case-detail", args=[deadline.case_id])

    def feed_condition(self, user) -> Q:
        own = Q(source=self.key)
        return own & self.feed_filter(user) if self.feed_filter else own


class Registry:
    def __init__(self) -> None:
        self._sources: dict[str, DeadlineSource] = {}
        self._clocks: dict[str, Callable] = {}

    def register_clock(self, key: str, check: Callable) -> None:
        """A clock kept to the minute rather than the day (a TA request's 48 business hours): each sweep calls
        ``check(now=...)``, which writes its own notifications with once-only keys and returns how many."""
        self._clocks[key] = check

    def unregister_clock(self, key: str) -> None:
        self._clocks.pop(key, None)

    def clocks(self) -> list[Callable]:
        return list(self._clocks.values())

    def register(self, source: DeadlineSource) -> DeadlineSource:
        if source.key in ("task_activity", "digest", "solicitation_amended"):
            raise ValueError(f"{source.key!r} is reserved for notifications that are not deadlines")
        self._sources[source.key] = source
        return source

    def unregister(self, key: str) -> None:
        self._sources.pop(key, None)

    def get(self, key: str) -> DeadlineSource:
        try:
            return self._sources[key]
        except KeyError:
            raise LookupError(f"No deadline source is registered as {key!r}") from None

    def __contains__(self, key: str) -> bool:
        return key in self._sources

    def __iter__(self) -> Iterator[DeadlineSource]:
        return iter(list(self._sources.values()))


registry = Registry()
