"""Outcome announcements: a change recorded on a case tells the people it concerns, declared once.

An app declares, in its own ``announcements.py`` registered from ``AppConfig.ready()``, which recorded
events are news and for whom::

    Announcement(
        event="award:accept",            # a verb ("review.submitted") or "<case kind>:<transition name>"
        to=(GRANT_MANAGERS,),            # case roles (workflow.roles), never people
        kind="grant_outcomes",           # the kind people choose email / digest / in-app for
        subject="The award “{case}” was accepted",
    )

One event listener (``announcements_from_event``, registered by ``RemindersConfig.ready()``) turns each
matching event into outbox rows in the transaction that records it, keyed ``(event:<id>, <announcement
key>, recipient)`` so each is written once. The actor is not told of their own action. An event kept for
the reviewers' audience (who reviews an application) is only announced to those who run the review (the
review and manage rights, as the timeline shows it), so no applicant learns who reviews them. Whether each
recipient may still see the case is asked again at delivery, like every notification.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone

from reminders.services.outbox import notification_build, outbox_add, recipients_load
from workflow.access import MANAGE, REVIEW, visible_pairs
from workflow.models import Audience
from workflow.roles import CaseRole, role_members


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class Announcement:
    """event: a verb, or "<case kind>:<transition name>" for a stage change.
    to: case roles (keys or ``CaseRole``) whose holders are told.
    kind: the preference kind (``reminders.preferences.announcement_kind_register``).
    subject: a format string over the event (``{case}``, ``{label}``, ``{title}``,
        ``{organization}``, ``{comment}`` and any other key of ``event.data``) or callable(event) -> str.
    url: callable(event) -> path where the next step is done; default: the case's page.
    when: callable(event) -> bool; the announcement is skipped when it answers False.
    also: callable(event) -> user ids told besides the roles (e.g. who submitted the milestone).
    kinds: case kinds a verb applies to (None: every kind); a transition key names its kind already.
    """

    event: str
    to: tuple[str | CaseRole, ...]
    kind: str
    subject: str | Callable
    url: Callable | None = None
    when: Callable | None = None
    also: Callable | None = None
    kinds: tuple[str, ...] | None = None

    @property
    def key(self) -> str:
        return self.event.replace(":", "-")[:40]

    def matches(self, event, case_kind: str) -> bool:
        if self.kinds is not None and case_kind not in self.kinds:
            return False
        if event.verb == "transition":
            return self.event == f"{case_kind}:{event.data.get('name')}"
        return self.event == event.verb

    def subject_for(self, event) -> str:
        if callable(self.subject):
            return self.subject(event)
        data = event.data or {}
        fields = _Blank({key: value for key, value in data.items() if isinstance(value, str | int)})
        # No actor: a subject never names who acted, so it can never name a peer reviewer.
        fields.update(case=event.case.title, label=data.get("label", ""))
        return self.subject.format_map(fields)

    def url_for(self, event) -> str:
        if self.url:
            return self.url(event)
        try:
            return event.case.get_absolute_url()
        except ObjectDoesNotExist:
            # The domain row the page needs is written after the case is opened (a partnership's "case.opened").
            return reverse("case-detail", args=[event.case_id])


class AnnouncementRegistry:
    def __init__(self) -> None:
        self._items: list[Announcement] = []

    def register(self, *announcements: Announcement) -> None:
        for announcement in announcements:
            if announcement not in self._items:
                self._items.append(announcement)

    def unregister(self, announcement: Announcement) -> None:
        if announcement in self._items:
            self._items.remove(announcement)

    def __iter__(self):
        return iter(list(self._items))

    def matching(self, event, case_kind: str) -> list[Announcement]:
        return [item for item in self._items if item.matches(event, case_kind)]


announcements = AnnouncementRegistry()


def announcement_register(*items: Announcement) -> None:
    announcements.register(*items)


def _body(event) -> str:
    lines = [f"On “{event.case.title}”."]
    comment = str((event.data or {}).get("comment") or "").strip()
    if comment:
        lines.append(f"Comment: {comment}")
    return "\n".join(lines)


def _recipients(announcement: Announcement, event) -> set[int]:
    found: set[int] = set()
    for role in announcement.to:
        found |= role_members(role, [event.case_id]).get(event.case_id, set())
    if announcement.also is not None:
        found |= {user_id for user_id in announcement.also(event) if user_id}
    found.discard(event.actor_id)
    return found


def _for_reviewers_only(users: Iterable, case_id: int) -> set[int]:
    """Those who run the review (review and manage rights): who may read a reviewers' event on the timeline."""
    pairs = [(user, case_id) for user in users]
    return {user_id for user_id, _ in visible_pairs(pairs, REVIEW)} & {
        user_id for user_id, _ in visible_pairs(pairs, MANAGE)
    }


def announcements_from_event(event) -> None:
    """The event listener: outbox rows for every announcement the event matches (in its transaction)."""
    case_kind = event.case.kind
    matching = [item for item in announcements.matching(event, case_kind) if item.when is None or item.when(event)]
    if not matching:
        return
    wanted = {item: _recipients(item, event) for item in matching}
    users, preferences = recipients_load(set().union(*wanted.values()))
    if event.audience != Audience.ALL:
        allowed = _for_reviewers_only(users.values(), event.case_id)
        users = {user_id: user for user_id, user in users.items() if user_id in allowed}
    now = timezone.now()
    rows = []
    for item, user_ids in wanted.items():
        subject, url, body = item.subject_for(event), item.url_for(event), _body(event)
        for user_id in sorted(user_ids):
            if user_id in users:
                rows.append(
                    notification_build(
                        user=users[user_id],
                        preference=preferences.get(user_id),
                        kind=item.kind,
                        target=f"event:{event.pk}",
                        window=item.key,
                        subject=subject,
                        body=body,
                        url=url,
                        case_id=event.case_id,
                        now=now,
                    )
                )
    outbox_add(rows)
