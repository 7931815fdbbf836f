"""Hand-offs: keep each case's open waiting items (the queue) and tell people when one starts waiting on them.

``handoffs_from_event`` is an event listener (``workflow.events``), registered in ``RemindersConfig.ready()``:
for every event recorded on a case it asks ``workflow.routing`` which items of the case that event may have
opened or closed, rewrites that case's rows of those steps in ``WaitingItem`` (an item still open keeps its
"since"), and queues an "it's your turn" notification for each item that has just appeared, inside the
transaction of the change: both commit or roll back with it. An event that concerns no step costs nothing.

The notification goes to the people the item waits on (``workflow.roles``), never the one who acted, never
who may not clear it (the one who submitted what is to be approved), and only to who may see the case at that
moment; what a peer reviewer did (an event for the reviewers' audience) is announced only to BJA.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, MembershipStatus
from reminders.models import WaitingItem
from reminders.preferences import HANDOFF_KIND
from reminders.services.outbox import notification_build, outbox_add, recipients_load
from workflow.access import REVIEW, SCORE, VIEW, visible_pairs
from workflow.models import Audience, Case
from workflow.roles import Holder, holders_members, role_holders
from workflow.routing import Step, Waiting, step_register, steps, waiting_find

INVITATION_STEP = "invitation"


def handoffs_from_event(event) -> None:
    """The listener: refresh the items of the event's case that its verb concerns; announce the new ones."""
    case = event.case
    concerned, items = waiting_find({case.pk: case.stage}, kind=case.kind, verb=event.verb)
    if not concerned:
        return
    opened = waiting_store(case_ids=[case.pk], step_keys=[step.key for step in concerned], items=items, event=event)
    handoffs_notify(opened=opened, event=event)


def _holders(items: list[Waiting]) -> dict[tuple, set[Holder]]:
    """Each item's holders: its roles on its case (one query per role for the batch), its users and organizations."""
    cases_by_role: dict[str, set[int]] = defaultdict(set)
    for item in items:
        for role in item.roles:
            cases_by_role[role].add(item.case_id)
    held = {role: role_holders(role, case_ids) for role, case_ids in cases_by_role.items()}
    found: dict[tuple, set[Holder]] = {}
    for item in items:
        holders = {holder for role in item.roles for holder in held[role].get(item.case_id, ())}
        holders |= {Holder(user_id=user) for user in item.users if user}
        holders |= {Holder(organization_id=org, membership_role=role) for org, role in item.organizations}
        found[item.key] = holders
    return found


def _clock(due: date | datetime | None) -> tuple[date | None, datetime | None]:
    if isinstance(due, datetime):
        return timezone.localdate(due), due
    return due, None


def waiting_store(
    *, case_ids: Iterable[int], step_keys: Iterable[str], items: list[Waiting], event=None
) -> list[tuple[Waiting, set[Holder]]]:
    """Replace the rows of these steps on these cases by `items`; return the items that were not open before,
    with their holders.

    An item that stays open keeps its "since" and the event that opened it. Rows are per holder; an item nobody
    holds (no Authorized Representative named yet) has no row until someone does.
    """
    case_ids, step_keys = list(case_ids), list(step_keys)
    now = timezone.now()
    current = WaitingItem.objects.filter(case_id__in=case_ids, step__in=step_keys)
    if not items:
        current.delete()
        return []
    before = {
        (step, case_id, object_id, action): (since, event_id, comment)
        for step, case_id, object_id, action, since, event_id, comment in current.values_list(
            "step", "case_id", "object_id", "action", "since", "event_id", "comment"
        )
    }
    current.delete()
    holders = _holders(items)
    rows, opened = [], []
    for item in items:
        if not holders[item.key]:
            continue
        kept = before.get(item.key)
        if kept is None:
            opened.append((item, holders[item.key]))
        opened_at = item.since or (event.created_at if event else now)
        since, event_id, comment = kept or (opened_at, event.pk if event else None, _event_comment(event))
        comment = item.comment or comment
        due_date, due_at = _clock(item.due)
        for holder in holders[item.key]:
            rows.append(
                WaitingItem(
                    case_id=item.case_id,
                    step=item.step,
                    object_id=item.object_id,
                    organization_id=holder.organization_id,
                    member_role=holder.membership_role,
                    user_id=holder.user_id,
                    except_user_id=item.except_user,
                    action=item.action[:250],
                    url=item.url[:300],
                    comment=comment,
                    since=since,
                    due_date=due_date,
                    due_at=due_at,
                    event_id=event_id,
                )
            )
    WaitingItem.objects.bulk_create(rows, batch_size=1000)
    return opened


def _event_comment(event) -> str:
    # A reviewer's words are the reviewers' business: only an event everyone on the case reads lends its comment.
    if event is None or event.audience != Audience.ALL:
        return ""
    return str((event.data or {}).get("comment") or "").strip()


def handoffs_notify(*, opened: list[tuple[Waiting, set[Holder]]], event) -> None:
    """Queue "it's your turn" for each newly waiting item, to each person it waits on who may see the case."""
    opened = [(item, holders) for item, holders in opened if steps.get(item.step).notify]
    if not opened:
        return
    items = [item for item, _ in opened]
    people = holders_members({holder for _, holders in opened for holder in holders}, by_holder=True)
    wanted = {
        item.key: {user for holder in holders for user in people.get(holder, ())} - {item.except_user, event.actor_id}
        for item, holders in opened
    }
    users, preferences = recipients_load({user for ids in wanted.values() for user in ids})
    pairs = {(users[user], item.case_id) for item in items for user in wanted[item.key] if user in users}
    allowed = visible_pairs(pairs, VIEW)
    if event.audience != Audience.ALL:
        allowed &= visible_pairs(pairs, REVIEW) | visible_pairs(pairs, SCORE)
    now = timezone.now()
    notifications = []
    for item in items:
        body = item.comment or _event_comment(event)  # The email quotes it; the case is named beside it.
        for user_id in sorted(wanted[item.key]):
            if (user_id, item.case_id) not in allowed:
                continue
            notifications.append(
                notification_build(
                    user=users[user_id],
                    preference=preferences.get(user_id),
                    kind=HANDOFF_KIND,
                    target=f"waiting:{item.step}:{item.case_id}:{item.object_id}"[:120],
                    window=f"event-{event.pk}",
                    subject=item.action,
                    body=body,
                    url=item.url,
                    case_id=item.case_id,
                    due_date=_clock(item.due)[0],
                    now=now,
                )
            )
    outbox_add(notifications)


def waiting_refresh(*, case: Case) -> None:
    """Recompute one case's items as of its latest event, and announce those that open now: for a domain row
    written after the event that opened the case (a TA request's own row, its page and its clocks, are saved
    after ``case.opened``), in the same transaction."""
    from workflow.models import Event

    event = Event.objects.filter(case=case).select_related("case").order_by("-created_at", "-id").first()
    concerned, items = waiting_find({case.pk: case.stage}, kind=case.kind)
    opened = waiting_store(case_ids=[case.pk], step_keys=[step.key for step in concerned], items=items, event=event)
    if event is not None:
        handoffs_notify(opened=opened, event=event)


def waiting_rebuild(*, case_ids: Iterable[int] | None = None, batch_size: int = 500) -> int:
    """Recompute every open item of these cases (all cases when None), without notifying anyone.

    For data that predates the listener, or was loaded around it (``manage.py waiting_rebuild``, the benchmark).
    Returns the number of rows written.
    """
    cases = Case.objects.filter(closed_at__isnull=True).order_by("kind", "pk")
    if case_ids is not None:
        cases = cases.filter(pk__in=list(case_ids))
    by_kind: dict[str, dict[int, str]] = defaultdict(dict)
    for pk, kind, stage in cases.values_list("pk", "kind", "stage"):
        by_kind[kind][pk] = stage
    written = 0
    for kind, stages in by_kind.items():
        ids = list(stages)
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            with transaction.atomic():
                concerned, items = waiting_find({pk: stages[pk] for pk in batch}, kind=kind)
                waiting_store(case_ids=batch, step_keys=[step.key for step in concerned], items=items)
                written += WaitingItem.objects.filter(case_id__in=batch).count()
    if case_ids is None:
        with transaction.atomic():
            WaitingItem.objects.filter(step=INVITATION_STEP).delete()
            for membership in Membership.objects.pending().select_related("organization", "user"):
                invitation_waiting_sync(Membership, membership)
            written += WaitingItem.objects.filter(step=INVITATION_STEP).count()
    return written


def invitation_waiting_sync(sender, instance: Membership, **kwargs) -> None:
    """A pending invitation waits on its invitee (post_save of ``Membership``; accounts emails it itself)."""
    from django.urls import reverse

    WaitingItem.objects.filter(step=INVITATION_STEP, object_id=instance.pk).delete()
    if instance.status != MembershipStatus.PENDING or not instance.user.is_active:
        return
    organization = instance.organization
    if not organization.is_active:
        return
    WaitingItem.objects.create(
        case=None, step=INVITATION_STEP, object_id=instance.pk, user=instance.user,
        action=f"Answer the invitation to join {organization.name}",
        url=reverse("invitation", args=[instance.pk]), since=timezone.now(),
    )  # fmt: skip


def register_invitation_step() -> None:
    # Not on a case: its rows are kept by invitation_waiting_sync, and accounts emails the invitation itself.
    step_register(Step(INVITATION_STEP, "Invitation to answer", find=lambda case_ids: [], kinds=("invitation",),
                       notify=False))  # fmt: skip
