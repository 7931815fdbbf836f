"""Time moves cases too: the system actor, time-driven transitions and flags, exactly once.

The sample machine (tests/workflow/machines.py) lapses a request still submitted 30 days after it was opened
(`lapse`, fired only by the system) and flags it a week before (`lapsing_soon`).
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from config.errors import NotAllowed
from operations.schedule import BEAT_SCHEDULE
from tests.workflow import machines
from tests.workflow.test_concurrency import race
from workflow import selectors, services
from workflow.clocks import clocks_sweep
from workflow.models import Case, Event
from workflow.tasks import workflow_clocks
from workflow.templatetags.workflow_tags import event_sentence


def transitions(case: Case) -> list[Event]:
    return list(Event.objects.filter(case=case, verb="transition").order_by("id"))


def test_the_sweep_leaves_a_case_alone_until_its_time_has_come(submitted_case):
    clocks_sweep(now=submitted_case.opened_at + timedelta(days=29, hours=23))
    submitted_case.refresh_from_db()
    assert submitted_case.stage == "submitted"


def test_time_lapses_a_request_as_the_system_with_the_reason(submitted_case, admin):
    with time_machine.travel(submitted_case.opened_at + machines.LAPSE_AFTER + timedelta(minutes=1), tick=False):
        result = clocks_sweep()
    submitted_case.refresh_from_db()
    assert (submitted_case.stage, submitted_case.version) == ("lapsed", 3)
    assert result.fired >= 1
    event = transitions(submitted_case)[-1]
    assert event.actor is None
    assert event.data["by"] == "system" and event.data["name"] == "lapse"
    assert event.data["reason"].startswith("nobody started the review within 30 days")
    sentence = event_sentence(event, submitted_case)
    assert sentence.startswith("System moved it from Submitted to Lapsed: nobody started the review")


def test_a_second_sweep_changes_nothing(submitted_case):
    later = submitted_case.opened_at + timedelta(days=40)
    clocks_sweep(now=later)
    count = Event.objects.filter(case=submitted_case).count()
    clocks_sweep(now=later)
    clocks_sweep(now=later + timedelta(days=5))
    assert Event.objects.filter(case=submitted_case).count() == count
    assert [event.data["name"] for event in transitions(submitted_case)] == ["submit", "lapse"]


def test_a_flag_is_raised_once_and_leaves_the_stage(submitted_case):
    for days in (24, 25, 26):
        clocks_sweep(now=submitted_case.opened_at + timedelta(days=days))
    flags = Event.objects.filter(case=submitted_case, verb="clock.flagged")
    assert flags.count() == 1
    flag = flags.get()
    assert flag.actor is None and flag.data["clock"] == "lapsing_soon" and flag.data["by"] == "system"
    assert event_sentence(flag, submitted_case) == "System: the request lapses in a week unless its review starts."
    submitted_case.refresh_from_db()
    assert submitted_case.stage == "submitted"


def test_people_cannot_fire_what_only_time_fires(submitted_case, grant_manager):
    with pytest.raises(NotAllowed) as refused:
        services.case_transition(case=submitted_case, name="lapse", actor=grant_manager)
    assert refused.value.code == "system_only"
    names = [t.name for t in selectors.case_available_transitions(case=submitted_case, user=grant_manager)]
    assert "lapse" not in names and "start_review" in names


def test_a_case_moved_on_by_a_person_is_not_moved_by_the_clock(submitted_case, grant_manager):
    services.case_transition(case=submitted_case, name="start_review", actor=grant_manager)
    clocks_sweep(now=submitted_case.opened_at + timedelta(days=45))
    submitted_case.refresh_from_db()
    assert submitted_case.stage == "in_review"


def test_the_beat_runs_the_clocks(submitted_case, settings):
    assert BEAT_SCHEDULE["workflow-clocks"]["task"] == "workflow.clocks"
    with time_machine.travel(timezone.now() + timedelta(days=31), tick=False):
        workflow_clocks.delay()
    submitted_case.refresh_from_db()
    assert submitted_case.stage == "lapsed"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_move_and_flag_each_case_exactly_once(organization, partner_org, bja, admin):
    lapsing = [
        services.case_create(kind=machines.KIND, title=f"Lapsing {n}", organization=organization, actor=admin)
        for n in range(8)
    ]
    flagged = [
        services.case_create(kind=machines.KIND, title=f"Flagged {n}", organization=organization, actor=admin)
        for n in range(8)
    ]
    now = timezone.now()
    # Put them in "submitted" without the checklist: the clocks only read the stage and the opening time.
    Case.objects.filter(pk__in=[c.pk for c in lapsing]).update(stage="submitted", opened_at=now - timedelta(days=31))
    Case.objects.filter(pk__in=[c.pk for c in flagged]).update(stage="submitted", opened_at=now - timedelta(days=24))

    results = race(lambda: clocks_sweep(now=now), threads=2)

    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(r.fired for r in results) == len(lapsing)
    for case in lapsing:
        case.refresh_from_db()
        assert (case.stage, case.version) == ("lapsed", 2)
        assert Event.objects.filter(case=case, verb="transition", data__name="lapse").count() == 1
    for case in flagged:
        assert Event.objects.filter(case=case, verb="clock.flagged").count() == 1
    Event.objects.filter(case__in=lapsing + flagged).count()  # The trigger allows reads; TRUNCATE cleans up.
