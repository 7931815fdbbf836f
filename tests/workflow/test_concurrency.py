"""Many people pressing the same button at the same moment: exactly one wins, the rest are told why they lost.

These tests need PostgreSQL: each thread opens its own connection and the
transition service's row lock (SELECT ... FOR UPDATE) is what serialises them.
"""

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connections
from django.test import Client

from config.errors import Conflict
from workflow import services
from workflow.models import Case, Event

THREADS = 20


def race(attempt: Callable[[], object], *, threads: int = THREADS) -> list:
    """Run `attempt` in `threads` threads released together; each result is a return value or the exception."""
    barrier = threading.Barrier(threads, timeout=30)
    results: list = [None] * threads

    def run(index: int) -> None:
        try:
            # Connect before the barrier, so the attempts start together instead of queueing on connect.
            connections["default"].ensure_connection()
            barrier.wait()
            results[index] = attempt()
        except BaseException as error:
            results[index] = error
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not any(worker.is_alive() for worker in workers), "a thread hung (deadlock?)"
    return results


def transition_events(case: Case) -> int:
    return Event.objects.filter(case=case, verb="transition").count()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "scenario, name, target",
    [("draft", "withdraw", "withdrawn"), ("submitted", "start_review", "in_review")],
)
def test_of_twenty_identical_transitions_exactly_one_wins(request, scenario, name, target, admin, grant_manager):
    case = request.getfixturevalue("case" if scenario == "draft" else "submitted_case")
    actor = admin if name == "withdraw" else grant_manager
    case.refresh_from_db()
    version, events_before = case.version, transition_events(case)

    results = race(lambda: services.case_transition(case=Case(pk=case.pk, kind=case.kind), name=name, actor=actor))

    outcomes = Counter(type(result).__name__ for result in results)
    winners = [result for result in results if isinstance(result, Case)]
    losers = [result for result in results if isinstance(result, Conflict)]
    assert len(winners) == 1, outcomes
    assert len(losers) == THREADS - 1, [result for result in results if not isinstance(result, Case | Conflict)]
    assert {loser.code for loser in losers} == {"wrong_stage"}
    case.refresh_from_db()
    assert (case.stage, case.version) == (target, version + 1)
    assert transition_events(case) == events_before + 1
    assert winners[0].version == case.version


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_of_twenty_api_requests_exactly_one_is_200_and_nineteen_are_409(case, admin):
    clients = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(admin)
        clients.append(client)
    url = f"/api/v1/cases/{case.pk}/transitions/"
    turn = iter(range(THREADS))
    lock = threading.Lock()

    def post():
        with lock:
            client = clients[next(turn)]
        return client.post(url, {"name": "withdraw", "comment": "We found other funding."}, "application/json")

    responses = race(post)

    errors = [response for response in responses if isinstance(response, BaseException)]
    assert errors == []
    assert Counter(response.status_code for response in responses) == {200: 1, 409: THREADS - 1}
    assert {response.json()["code"] for response in responses if response.status_code == 409} == {"wrong_stage"}
    winner = next(response for response in responses if response.status_code == 200)
    assert winner.json()["stage"] == "withdrawn" and winner.json()["version"] == 2
    case.refresh_from_db()
    assert (case.stage, case.version) == ("withdrawn", 2)
    assert transition_events(case) == 1


@pytest.mark.django_db
def test_a_second_attempt_with_the_same_expected_version_is_stale(submitted_case, grant_manager):
    loaded = submitted_case.version
    services.case_transition(case=submitted_case, name="start_review", actor=grant_manager, expected_version=loaded)
    # The same client, with the version it loaded, tries a transition that is possible from the new stage.
    with pytest.raises(Conflict) as error:
        services.case_transition(case=submitted_case, name="return", actor=grant_manager, expected_version=loaded)
    assert error.value.code == "stale"
    assert error.value.field == "expected_version"
    submitted_case.refresh_from_db()
    assert (submitted_case.stage, submitted_case.version) == ("in_review", loaded + 1)
    assert transition_events(submitted_case) == 2


@pytest.mark.django_db
def test_the_api_answers_a_stale_version_with_409(case, admin):
    client = Client()
    client.force_login(admin)
    url = f"/api/v1/cases/{case.pk}/transitions/"
    response = client.post(url, {"name": "withdraw", "expected_version": 5}, "application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "stale"
    case.refresh_from_db()
    assert case.version == 1 and case.stage == "draft"
