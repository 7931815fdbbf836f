"""Deadlines are instants stated in the solicitation's time zone: on time through the deadline's second,
refused one second later with the deadline in the message, whatever the time zone of the person submitting."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from config.errors import Conflict
from grants import services
from grants.rules import deadline_text
from tests.grants import flow
from workflow.models import Event

# (solicitation's time zone, wall-clock deadline as typed, the same instant in UTC, how the message says it)
CASES = [
    ("America/New_York", datetime(2027, 4, 29, 20, 59, 59), datetime(2027, 4, 30, 0, 59, 59, tzinfo=UTC), "EDT"),
    ("Pacific/Honolulu", datetime(2027, 4, 29, 20, 59, 59), datetime(2027, 4, 30, 6, 59, 59, tzinfo=UTC), "HST"),
    ("America/Phoenix", datetime(2027, 1, 15, 17, 0, 0), datetime(2027, 1, 16, 0, 0, 0, tzinfo=UTC), "MST"),
    # The morning US clocks spring forward: 3:30 AM is already daylight time (UTC-4, not UTC-5).
    ("America/New_York", datetime(2027, 3, 14, 3, 30, 0), datetime(2027, 3, 14, 7, 30, 0, tzinfo=UTC), "EDT"),
]
PREPARE_AT = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def _ready(zone, wall_clock, *, bja, manager, lead, lead_admin, partner, partner_admin, step="justgrants"):
    """A ready application whose JustGrants (or Grants.gov) deadline is `wall_clock` in `zone`."""
    with time_machine.travel(PREPARE_AT, tick=False):
        earlier = wall_clock - timedelta(days=7)
        solicitation = flow.solicitation_publish(
            agency=bja,
            manager=manager,
            time_zone=zone,
            grants_gov=wall_clock if step == "grants_gov" else earlier,
            justgrants=wall_clock + timedelta(days=7) if step == "grants_gov" else wall_clock,
        )
        application = flow.application_start(
            solicitation=solicitation, lead=lead, actor=lead_admin, co_applicants=[partner]
        )
        if step == "grants_gov":
            flow.fill(application, lead_admin)
        else:
            flow.prepare(application, lead_admin, partner_admin)
    return solicitation, application


@pytest.fixture
def parties(bja, grant_manager, organization, admin, bh_org, bh_admin):
    admin.time_zone = "America/Los_Angeles"  # The submitter's own zone plays no part.
    admin.save()
    return {
        "bja": bja,
        "manager": grant_manager,
        "lead": organization,
        "lead_admin": admin,
        "partner": bh_org,
        "partner_admin": bh_admin,
    }


@pytest.mark.parametrize("zone, wall_clock, instant, abbreviation", CASES)
def test_a_wall_clock_deadline_is_read_in_the_solicitations_time_zone(parties, zone, wall_clock, instant, abbreviation):
    solicitation, _ = _ready(zone, wall_clock, **parties)
    assert solicitation.justgrants_deadline == instant
    assert deadline_text(solicitation.justgrants_deadline, zone).endswith(f"{abbreviation}")


@pytest.mark.parametrize("zone, wall_clock, instant, abbreviation", CASES)
def test_submission_within_the_deadlines_second_is_on_time(parties, zone, wall_clock, instant, abbreviation):
    _, application = _ready(zone, wall_clock, **parties)
    with time_machine.travel(instant + timedelta(microseconds=999_999), tick=False):
        services.application_submit(application=application, actor=parties["lead_admin"])
    application.refresh_from_db()
    assert application.submitted_at == instant + timedelta(microseconds=999_999)
    assert flow.fresh(application).case.stage == "submitted"


@pytest.mark.parametrize("zone, wall_clock, instant, abbreviation", CASES)
def test_submission_one_second_late_is_refused_with_the_deadline(parties, zone, wall_clock, instant, abbreviation):
    _, application = _ready(zone, wall_clock, **parties)
    events = Event.objects.count()
    with time_machine.travel(instant + timedelta(seconds=1), tick=False), pytest.raises(Conflict) as refused:
        services.application_submit(application=application, actor=parties["lead_admin"])
    assert refused.value.code == "deadline_passed"
    assert deadline_text(instant, zone) in refused.value.message
    assert f"{wall_clock:%-I:%M:%S} {'AM' if wall_clock.hour < 12 else 'PM'} {abbreviation}" in refused.value.message
    flow.fresh(application)
    assert (application.case.stage, application.submitted_at, Event.objects.count()) == ("draft", None, events)


@pytest.mark.parametrize("zone, wall_clock, instant, abbreviation", CASES[:2])
def test_the_grants_gov_step_has_its_own_deadline_to_the_second(parties, zone, wall_clock, instant, abbreviation):
    _, on_time = _ready(zone, wall_clock, step="grants_gov", **parties)
    _, late = _ready(zone, wall_clock, step="grants_gov", **parties)
    with time_machine.travel(instant, tick=False):
        services.grants_gov_record(application=on_time, actor=parties["lead_admin"])
    with time_machine.travel(instant + timedelta(seconds=1), tick=False), pytest.raises(Conflict) as refused:
        services.grants_gov_record(application=late, actor=parties["lead_admin"])
    assert "Grants.gov deadline was " + deadline_text(instant, zone) in refused.value.message
    on_time.refresh_from_db(), late.refresh_from_db()
    assert on_time.grants_gov_submitted_at == instant and late.grants_gov_submitted_at is None


def test_the_generic_transition_endpoint_cannot_submit_late_either(parties):
    from workflow.errors import GuardFailed
    from workflow.services import case_transition

    zone, wall_clock, instant, _ = CASES[0]
    _, application = _ready(zone, wall_clock, **parties)
    with time_machine.travel(instant + timedelta(seconds=1), tick=False), pytest.raises(GuardFailed) as refused:
        case_transition(case=application.case, name="submit", actor=parties["lead_admin"])
    assert "The JustGrants deadline has passed." in refused.value.reasons


def test_no_application_can_be_started_after_the_deadline(parties):
    zone, wall_clock, instant, _ = CASES[0]
    solicitation, _ = _ready(zone, wall_clock, **parties)
    with time_machine.travel(instant + timedelta(seconds=1), tick=False), pytest.raises(Conflict) as refused:
        flow.application_start(solicitation=solicitation, lead=parties["lead"], actor=parties["lead_admin"])
    assert refused.value.code == "deadline_passed" and "8:59:59 PM EDT" in refused.value.message


def test_deadline_text_states_the_wall_clock_where_the_solicitation_is():
    instant = datetime(2027, 4, 30, 0, 59, 59, tzinfo=UTC)
    assert deadline_text(instant, "America/New_York") == "April 29, 2027, 8:59:59 PM EDT"
    assert deadline_text(instant, "America/Los_Angeles") == "April 29, 2027, 5:59:59 PM PDT"
    assert deadline_text(instant, "Europe/London") == "April 30, 2027, 1:59:59 AM BST"
