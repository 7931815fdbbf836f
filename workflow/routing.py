"""Who acts next, declared once: the items that wait on people, derived from stage and step declarations.

Two kinds of declaration, both made by the app that owns the case kind (the engine's own milestones by
``workflow`` itself), from ``AppConfig.ready()``:

- a **stage** that waits on someone names the case roles and the action (``Stage(..., waits_on=("grant_managers",),
  action="Start the completeness review", due=...)``): while a case is in that stage, one item waits;
- a **step** inside a case (a milestone to approve, a review to score, an agreement to sign) registers a ``Step``
  whose ``find(case_ids)`` returns the open ``Waiting`` items of those cases, in a query or two for the batch::

      step_register(Step("modification.decision", "Modification to decide", find=modifications_waiting,
                         kinds=(AWARD_KIND,), on=("modification.submitted",)))

``waiting_find`` answers, for a batch of cases, every open item with the roles, users or organizations it waits
on. It is the one derivation behind the queue, the "it's your turn" notifications and the API
(``reminders.services.handoffs`` keeps a table of open items from it, in the transaction of each event).
The engine imports no domain app: a domain's steps reach it through this registry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ObjectDoesNotExist

from workflow.machines import registry as machines

# Events that may change any item of a case: who takes part in it. (A stage's items change with "transition".)
ALWAYS = frozenset({"participant.added"})
STAGE_VERBS = ("transition", "case.opened")


@dataclass(frozen=True)
class Waiting:
    """One thing that waits on people until they act.

    step: the declaring step's key; case_id: its case (None for what belongs to no case, an invitation);
    object_id: the row it is about within the case (0 for the case itself); roles: case role keys that must act;
    users / organizations: people named directly (the drafter of a report sent back; each unsigned party as
    ``(organization id, membership role)``); except_user: who may not act on it (the one who submitted it);
    action: the sentence that clears it ("Approve the report “…”"); url: where it is done; since / due: its clock
    (since None: from the event that opened it); comment: the reason that came with it.
    """

    step: str
    case_id: int | None
    object_id: int
    action: str
    url: str
    roles: tuple[str, ...] = ()
    users: tuple[int, ...] = ()
    organizations: tuple[tuple[int, str], ...] = ()
    except_user: int | None = None
    since: datetime | None = None
    due: date | datetime | None = None
    comment: str = ""

    @property
    def key(self) -> tuple[str, int | None, int, str]:
        """What makes it the same item from one event to the next: a new action on the same row (a report
        drafted, then submitted) is a new hand-off."""
        return (self.step, self.case_id, self.object_id, self.action[:250])


@dataclass(frozen=True)
class Step:
    """A kind of item. key: stable (stored on every item and notification); label: what the queue's filter calls
    it; find(case_ids) -> open items of those cases; kinds: the case kinds it applies to (empty: every kind);
    stages: the case stages it can have items in (empty: any), so an event on a case elsewhere costs it no query;
    on: event verbs after which its items may have opened or closed (besides ``ALWAYS``; add "transition" when
    `stages` is set); notify: False when the owner already tells people (an invitation has its own email).
    A stage's own step (``Stage.waits_on``) has no `find`: ``waiting_find`` reads all of a kind's stages at once."""

    key: str
    label: str
    find: Callable[[list[int]], Iterable[Waiting]] | None
    kinds: tuple[str, ...] = ()
    on: tuple[str, ...] = ()
    notify: bool = True
    stages: tuple[str, ...] = ()
    reacts: frozenset = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "reacts", ALWAYS | frozenset(self.on))

    def applies_to(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


class StepRegistry:
    def __init__(self) -> None:
        self._steps: dict[str, Step] = {}

    def register(self, step: Step) -> Step:
        self._steps[step.key] = step
        return step

    def unregister(self, key: str) -> None:
        self._steps.pop(key, None)

    def get(self, key: str) -> Step:
        found = self._steps.get(key) or _stage_steps().get(key)
        if found is None:
            raise LookupError(f"No waiting step is registered as {key!r}")
        return found

    def for_kind(self, kind: str) -> list[Step]:
        stages = [step for step in _stage_steps().values() if step.applies_to(kind)]
        return stages + [step for step in self._steps.values() if step.applies_to(kind)]

    def __iter__(self):
        return iter([*_stage_steps().values(), *self._steps.values()])


steps = StepRegistry()


def step_register(step: Step) -> Step:
    return steps.register(step)


def step_choices() -> list[tuple[str, str]]:
    """(key, label) of every kind of item, for the queue's filter."""
    return [(step.key, step.label) for step in steps]


def _stage_steps() -> dict[str, Step]:
    """A step per stage that declares ``waits_on``, from the registered machines (built when asked: machines
    register in ``ready()``, and a test may register a toy one)."""
    found = {}
    for machine in machines:
        for stage in machine.stages:
            if stage.waits_on:
                key = f"{machine.kind}.{stage.name}"
                label = f"{machine.label}: {stage.action or stage.label}"
                on = (*STAGE_VERBS, *stage.on)
                found[key] = Step(key, label, find=None, kinds=(machine.kind,), on=on, stages=(stage.name,))
    return found


def _stage_items(kind: str, stage_steps: list[Step], cases: dict[int, str]) -> list[Waiting]:
    """The items of the stages that wait on someone: one query for the cases (their titles and pages), one per
    stage with a clock."""
    from workflow.models import Case

    machine = machines.get(kind)
    waiting = {step.stages[0]: step for step in stage_steps}
    ids = [case_id for case_id, stage in cases.items() if stage in waiting]
    if not ids:
        return []
    found = list(Case.objects.filter(pk__in=ids).select_related(*machine.page_related).order_by())
    items = []
    pages = {}
    for case in found:
        try:
            pages[case.pk] = case.get_absolute_url()
        except ObjectDoesNotExist:
            # The domain row its page needs is not written yet (a TA request saves its own row after the case
            # opens): the item opens when the domain refreshes the case (reminders.services.handoffs).
            continue
    for stage_name, step in waiting.items():
        stage = machine.stage(stage_name)
        here = [case for case in found if case.stage == stage_name and case.pk in pages]
        dues = stage.due([case.pk for case in here]) if stage.due and here else {}
        items += [
            Waiting(
                step=step.key,
                case_id=case.pk,
                object_id=0,
                action=f"{stage.action}: {case.title}",
                url=pages[case.pk],
                roles=stage.waits_on,
                due=dues.get(case.pk),
            )
            for case in here
        ]
    return items


def waiting_find(cases: dict[int, str], *, kind: str, verb: str | None = None) -> tuple[list[Step], list[Waiting]]:
    """The steps that concern cases of `kind` (after an event `verb`, only those it may change) and their open
    items on these `cases` ({case id: its current stage}). A closed case has nothing open: pass it with its
    terminal stage and every step finds nothing, without a query."""
    concerned = [step for step in steps.for_kind(kind) if verb is None or verb in step.reacts]
    machine = machines.get(kind) if kind in dict(machines.kinds()) else None
    open_cases = {
        case_id: stage for case_id, stage in cases.items() if machine is None or not machine.stage(stage).terminal
    }
    items: list[Waiting] = _stage_items(kind, [s for s in concerned if s.find is None], open_cases) if machine else []
    for step in concerned:
        if step.find is None:
            continue
        ids = [case_id for case_id, stage in open_cases.items() if not step.stages or stage in step.stages]
        if ids:
            items.extend(step.find(ids))
    return concerned, items


def waiting_by_case(items: Iterable[Waiting]) -> dict[int | None, list[Waiting]]:
    grouped: dict[int | None, list[Waiting]] = defaultdict(list)
    for item in items:
        grouped[item.case_id].append(item)
    return grouped
