"""Reads on cases: lists, what a user may do next, timelines and checklist progress."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import User
from workflow.access import MANAGE, REVIEW, SCORE, VIEW, case_rights
from workflow.machines import Transition, registry
from workflow.models import Audience, Case, Event, Milestone, MilestoneStatus, Participant


def case_with_relations(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The cases with their lead organization, the rows their links need, and participants."""
    return cases.select_related("organization", *registry.page_related()).prefetch_related(
        Prefetch("participations", queryset=Participant.objects.select_related("organization"))
    )


def case_list(*, user: User, action: str = VIEW) -> QuerySet[Case]:
    """Cases the user may see, with what a page or an answer shows of them."""
    return case_with_relations(Case.objects.visible_to(user, action))


def case_get(*, user: User, case_id: int, action: str = VIEW) -> Case:
    """The case, or Case.DoesNotExist (answer 404) when the user may not see it."""
    return case_list(user=user, action=action).get(pk=case_id)


@dataclass(frozen=True)
class AvailableTransition:
    name: str
    label: str
    target: str
    target_label: str
    allowed: bool
    reasons: list[str]
    comment_required: bool = False
    confirm: str | None = None


def case_available_transitions(*, case: Case, user: User, rights: set[str] | None = None) -> list[AvailableTransition]:
    """Transitions from the current stage this user could fire, each with why it is blocked, if it is.

    Transitions whose permission the user does not hold at all are left out:
    a viewer is not shown buttons they will never be able to press.
    """
    rights = case_rights(user=user, case=case) if rights is None else rights
    machine = registry.get(case.kind)
    found = []
    for transition in machine.transitions_from(case.stage):
        if transition.permission not in rights or transition.system_only:
            continue
        reasons = _reasons(transition, user=user, case=case)
        found.append(
            AvailableTransition(
                name=transition.name,
                label=transition.label,
                target=transition.target,
                target_label=machine.stage(transition.target).label,
                allowed=not reasons,
                reasons=reasons,
                comment_required=transition.needs_comment(case),
                confirm=transition.confirm,
            )
        )
    return found


def _reasons(transition: Transition, *, user: User, case: Case) -> list[str]:
    return [rule.reason for rule in transition.rules if not rule.check(user, case)] + [
        guard.reason for guard in transition.guards if not guard.check(case)
    ]


def case_timeline(*, case: Case | int, user: User, rights: set[str] | None = None) -> QuerySet[Event]:
    """The case's history in time order, with the events kept for reviewers only for those who may read them.

    Who reviews an application is hidden from the applicants, and peer reviewers stay anonymous to one
    another: an event of the ``reviewers`` audience is shown to those who run the review (``review`` and
    ``manage``: BJA's grant managers) and, otherwise, only to the reviewer who acted in it or whom it is about
    (their own ``review_case`` grant, whose event names them in ``data["user"]``).
    """
    rights = case_rights(user=user, case=case) if rights is None else rights
    events = Event.objects.filter(case=case).select_related("actor").order_by("created_at", "id")
    if REVIEW in rights and MANAGE in rights:
        return events
    if SCORE in rights:
        return events.filter(Q(audience=Audience.ALL) | Q(actor=user) | Q(data__user=user.email))
    return events.filter(audience=Audience.ALL)


def milestone_list(*, case: Case) -> QuerySet[Milestone]:
    return (
        Milestone.objects.filter(case=case)
        .select_related("template", "submitted_by", "decided_by")
        .prefetch_related("signoffs__organization", "signoffs__user")
        .order_by("template__key", "order", "id")
    )


@dataclass(frozen=True)
class Progress:
    template_key: str | None
    title: str
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def milestone_progress(*, case: Case) -> list[Progress]:
    """Approved / total milestones per checklist on the case (one query)."""
    rows = (
        Milestone.objects.filter(case=case)
        .values("template__key", "template__title")
        .annotate(total=Count("id"), done=Count("id", filter=Q(status=MilestoneStatus.APPROVED)))
        .order_by("template__key")
    )
    return [
        Progress(row["template__key"], row["template__title"] or "Other milestones", row["done"], row["total"])
        for row in rows
    ]


def stage_bar(*, case: Case) -> list[dict]:
    """The machine's stages for display, each done (the case went through it), current or upcoming.

    "Done" comes from the transition history, not declaration order: a case withdrawn from Draft did
    not pass through review. Ending stages other than the current one are left out.
    """
    machine = registry.get(case.kind)
    visited = {machine.initial} | {
        data.get("from") for data in Event.objects.filter(case=case, verb="transition").values_list("data", flat=True)
    }
    return [
        {
            "name": stage.name,
            "label": stage.label,
            "state": "current" if stage.name == case.stage else "done" if stage.name in visited else "upcoming",
        }
        for stage in machine.stages
        if not stage.terminal or stage.name == case.stage
    ]
