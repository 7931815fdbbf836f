"""Time moves cases too: the sweep that fires the transitions and raises the flags that clocks declare.

A domain app declares a `Clock` on a transition (or on its machine, for a flag of its own) with a due-date
source: the cases whose time has come. The beat runs `clocks_sweep` every few minutes (task
``workflow.clocks``). The system is the actor: events carry ``actor=None``, ``data["by"] = "system"`` and the
reason, and the timeline says "System … : the award period ended on Sep 30, 2029".

Exactly once, however many sweeps run at the same moment: each case is taken with ``SELECT … FOR UPDATE SKIP
LOCKED`` and re-checked under the lock: a transition only from its source stage (a case another sweep has moved
no longer matches), a flag only when the case has no event for that clock and key yet (and, when the clock names
its stages, still in one of them). A case a person holds locked is left for the next sweep instead of waiting on
them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from workflow.machines import FIRE, FLAG, Clock, Due, Machine, Transition, registry
from workflow.models import Case, Event
from workflow.services import event_record, transition_apply

logger = logging.getLogger(__name__)

SYSTEM = "system"


@dataclass
class SweepResult:
    fired: int = 0
    flagged: int = 0
    skipped: int = 0


def _lock(case_id: int, **conditions) -> Case | None:
    """The case row, locked, or None when another sweep (or a person) holds it or it no longer qualifies."""
    rows = Case.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        pk=case_id, closed_at__isnull=True, **conditions
    )
    return rows.first()


def clock_fire(*, machine: Machine, transition: Transition, due: Due) -> Event | None:
    """Fire `transition` on one case as the system, when it is still in a source stage and its guards hold."""
    with transaction.atomic():
        case = _lock(due.case_id, kind=machine.kind, stage__in=transition.sources)
        if case is None or any(not guard.check(case) for guard in transition.guards):
            return None
        data = {**due.data, "by": SYSTEM, "reason": due.reason}
        return transition_apply(case, machine=machine, transition=transition, actor=None, data=data)


def clock_flag(*, machine: Machine, clock: Clock, name: str, due: Due) -> Event | None:
    """Record the clock's flag on one case as the system, once per case, clock and key."""
    with transaction.atomic():
        case = _lock(due.case_id, kind=machine.kind, **({"stage__in": clock.stages} if clock.stages else {}))
        if case is None:
            return None
        already = Event.objects.filter(case=case, verb=clock.verb, data__clock=name, data__key=due.key)
        if already.exists():
            return None
        data = {**due.data, "clock": name, "key": due.key, "by": SYSTEM, "reason": due.reason}
        return event_record(case=case, actor=None, verb=clock.verb, data=data)


def clocks_sweep(*, now=None) -> SweepResult:
    """Every registered machine's clocks, over every case whose time has come by `now` (default: now)."""
    now = now or timezone.now()
    result = SweepResult()
    for machine in registry:
        for transition, clock in machine.timed():
            name = clock.name or (transition.name if transition else "")
            for due in clock.due(now):
                if clock.policy == FIRE and transition is not None:
                    event = clock_fire(machine=machine, transition=transition, due=due)
                elif clock.policy == FLAG:
                    event = clock_flag(machine=machine, clock=clock, name=name, due=due)
                else:
                    event = None
                if event is None:
                    result.skipped += 1
                elif event.verb == "transition":
                    result.fired += 1
                else:
                    result.flagged += 1
    if result.fired or result.flagged:
        logger.info("clocks: %d fired, %d flagged, %d skipped", result.fired, result.flagged, result.skipped)
    return result


def unflagged(rows, *, verb: str, clock: str, case_field: str = "case_id", key=None):
    """`rows` without those whose case already has this clock's flag (for `key`, an expression on the row,
    default ""), so a due-date source does not offer the sweep the same flag every few minutes for ever."""
    flags = Event.objects.filter(case_id=OuterRef(case_field), verb=verb, data__clock=clock)
    if key is None:
        flags = flags.filter(data__key="")
    else:
        flags = flags.annotate(flag_key=KT("data__key")).filter(flag_key=Cast(key, CharField()))
    return rows.exclude(Exists(flags))
