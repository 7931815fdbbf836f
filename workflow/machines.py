"""Declarative stage machines: one per case kind, registered by the domain app that owns the kind.

A domain app declares stages and transitions in its ``machines.py`` and calls
``registry.register(machine)`` from ``AppConfig.ready()``. See docs/workflow.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from workflow.access import EDIT


@dataclass(frozen=True)
class Stage:
    """A stage; one that waits on someone says whom (``waits_on``: case role keys, ``workflow.roles``), what they
    must do (``action``: "Start the completeness review") and, optionally, by when (``due(case_ids) -> {case id:
    date or datetime}``). ``workflow.routing`` turns that into the queue's items and the hand-off notifications."""

    name: str
    label: str
    terminal: bool = False
    waits_on: tuple[str, ...] = ()
    action: str = ""
    due: Callable[..., dict] | None = None
    # Event verbs besides transitions after which who it waits on may have changed (e.g. "award.roles_assigned").
    on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Guard:
    """A condition a transition needs. `check(case)` returns True when met; `reason` says what is missing."""

    reason: str
    check: Callable[..., bool]


@dataclass(frozen=True)
class Rule:
    """Who, beyond holding `permission`, may fire a transition: `check(user, case)` and why not."""

    reason: str
    check: Callable[..., bool]


# What a clock does when a case's time has come (docs/workflow.md, "Time moves cases too").
FIRE = "fire"  # the system fires the transition the clock sits on
FLAG = "flag"  # the system records one event (a flag for the people who must act); the stage stays


@dataclass(frozen=True)
class Due:
    """One case whose time has come, and why, in words the timeline shows after "System": "the award period
    ended on Sep 30, 2029". `key` tells flags apart on one case (which agreement expired); `data` is kept in
    the event."""

    case_id: int
    reason: str
    key: str = ""
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Clock:
    """Time moves the case: `due(now)` yields a `Due` for every open case whose time has come by `now`.

    `due` is the domain's query (indexed on its due-date column); the sweep re-checks each case under its row
    lock, so a case is moved or flagged once however many sweeps run. With ``system_only`` nobody but the system
    fires the transition (a lapse, an administrative closeout); otherwise people may fire it earlier.
    """

    due: Callable[[datetime], Iterable[Due]]
    policy: str = FIRE
    name: str = ""
    verb: str = "clock.flagged"
    system_only: bool = False
    # For a flag: the stages the case must still be in when the sweep holds its lock (empty: any open stage).
    stages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    permission: str = EDIT
    rules: tuple[Rule, ...] = ()
    guards: tuple[Guard, ...] = ()
    # A reason the person must give (it goes into the event's data["comment"]): True, or check(case) -> bool for
    # a condition such as "reports are still owed".
    comment_required: bool | Callable[..., bool] = False
    # The sentence saying what cannot be undone; the page asks for confirmation and the API for "confirm": true.
    confirm: str | None = None
    # Time fires it (policy FIRE) or flags it (FLAG): see Clock.
    clock: Clock | None = None

    def needs_comment(self, case) -> bool:
        return self.comment_required(case) if callable(self.comment_required) else bool(self.comment_required)

    @property
    def system_only(self) -> bool:
        return self.clock is not None and self.clock.policy == FIRE and self.clock.system_only


Hook = Callable[..., None]


@dataclass
class Machine:
    kind: str
    label: str
    stages: list[Stage]
    initial: str
    transitions: list[Transition]
    # Stage name -> hooks run inside the transition's transaction: hook(case=, actor=, event=).
    on_enter: dict[str, list[Hook]] = field(default_factory=dict)
    # Stage name -> hooks queued with transaction.on_commit (emails, tasks): hook(case_id=, event_id=).
    after_commit: dict[str, list[Hook]] = field(default_factory=dict)
    # The domain app's page for a case of this kind; the generic case page when None.
    page_url: Callable[..., str] | None = None
    # The case's relations page_url reads (a domain row beside the case): case lists select them with the
    # case, so linking each row costs no query of its own.
    page_related: tuple[str, ...] = ()
    # Words for the domain's own timeline events: describe_event(event) -> sentence, or None for the default.
    describe_event: Callable[..., str | None] | None = None
    # Milestones the domain moves through its own steps (a grant report's chain): milestone_owner(milestones)
    # returns {milestone id: why the engine's generic milestone endpoints may not act on it} for those of the
    # given milestones it owns. One call for a whole list, so a case page asks once however many reports it has.
    milestone_owner: Callable[..., dict[int, str]] | None = None
    # Flags that time raises on a case without a transition of their own (an agreement expired, a TA clock
    # missed): Clocks with policy FLAG and a unique name.
    clocks: list[Clock] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stages = {stage.name: stage for stage in self.stages}
        self._transitions = {transition.name: transition for transition in self.transitions}

    def stage(self, name: str) -> Stage:
        return self._stages.get(name) or Stage(name, name.replace("_", " ").capitalize())

    def transition(self, name: str) -> Transition | None:
        return self._transitions.get(name)

    def transitions_from(self, stage: str) -> list[Transition]:
        return [transition for transition in self.transitions if stage in transition.sources]

    def timed(self) -> list[tuple[Transition | None, Clock]]:
        """Every clock of the machine, with the transition it sits on (None for the machine's own flags)."""
        return [(t, t.clock) for t in self.transitions if t.clock is not None] + [(None, c) for c in self.clocks]

    def problems(self) -> list[str]:
        """What is wrong with the declaration: undeclared stages, unreachable stages, dead ends."""
        found = []
        for clock in self.clocks:
            if clock.policy != FLAG or not clock.name:
                found.append("a machine-level clock must be a named FLAG (a FIRE clock sits on its transition)")
        if len({clock.name for clock in self.clocks}) != len(self.clocks):
            found.append("a clock name is declared twice")
        if len(self._stages) != len(self.stages):
            found.append("a stage is declared twice")
        if len(self._transitions) != len(self.transitions):
            found.append("a transition name is declared twice")
        if self.initial not in self._stages:
            found.append(f"initial stage {self.initial!r} is not declared")
        for transition in self.transitions:
            for name in (*transition.sources, transition.target):
                if name not in self._stages:
                    found.append(f"transition {transition.name!r} uses undeclared stage {name!r}")
        for name in (*self.on_enter, *self.after_commit):
            if name not in self._stages:
                found.append(f"hook on undeclared stage {name!r}")
        reachable, frontier = {self.initial}, [self.initial]
        while frontier:
            current = frontier.pop()
            for transition in self.transitions_from(current):
                if transition.target not in reachable:
                    reachable.add(transition.target)
                    frontier.append(transition.target)
        for stage in self.stages:
            if stage.name not in reachable:
                found.append(f"stage {stage.name!r} cannot be reached from {self.initial!r}")
            elif not stage.terminal and not self.transitions_from(stage.name):
                found.append(f"non-terminal stage {stage.name!r} has no way out")
        return found


class Registry:
    def __init__(self) -> None:
        self._machines: dict[str, Machine] = {}

    def register(self, machine: Machine) -> Machine:
        self._machines[machine.kind] = machine
        return machine

    def unregister(self, kind: str) -> None:
        self._machines.pop(kind, None)

    def get(self, kind: str) -> Machine:
        try:
            return self._machines[kind]
        except KeyError:
            raise LookupError(f"No stage machine is registered for case kind {kind!r}") from None

    def __iter__(self) -> Iterable[Machine]:
        return iter(list(self._machines.values()))

    def page_related(self) -> list[str]:
        """Every machine's page_related, for ``select_related`` on lists of cases of any kind."""
        return sorted({relation for machine in self._machines.values() for relation in machine.page_related})

    def kinds(self) -> list[tuple[str, str]]:
        return [(machine.kind, machine.label) for machine in self._machines.values()]


registry = Registry()
