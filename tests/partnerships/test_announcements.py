"""Partnership and TA outcomes, and the TA clocks, reach exactly the people they concern.

Present in each test: the police department's admin (Ada), member (Max) and viewer (Vera); the behavioral
health provider's admin (Alicia) and member (Sam); the county's admin (Priya); the Learning Site's
coordinator (Ray) and viewer (Vic); BJA's grant manager (Helen); an outsider (Otto).
"""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import OrganizationKind, Role
from partnerships.choices import MemberRole
from partnerships.reminders import ta_clocks_remind
from partnerships.services.partnerships import partnership_member_add
from partnerships.services.ta import ta_delivery_record, ta_request_create, ta_request_match
from reminders.models import Notification
from reminders.services.sweep import reminders_sweep
from tests import factories
from tests.factories import organization_today
from tests.reminders.announcing import everyone_told, told
from workflow.checklists import milestone_approve, milestone_request_changes, milestone_submit
from workflow.models import Milestone
from workflow.services import case_transition

CHICAGO = ZoneInfo("America/Chicago")
NEVER = {"Vera Viewer", "Vic Siteviewer", "Otto Outsider", "Helen Brooks"}


@pytest.fixture
def cast(admin, member, viewer, bh_admin, bh_member, county_admin, coordinator, site_viewer, grant_manager, outsider):
    return locals()


def test_partners_named_at_the_start_hear_that_they_are_partners(cast, partnership):
    assert told("case.opened") == {"Alicia Romero", "Priya Natarajan"}  # Each partner's admins; not the lead.


def test_an_organization_added_later_is_told_through_its_admins_only(cast, partnership, admin):
    clinic = factories.OrganizationFactory(name="Riverside Clinic", kind=OrganizationKind.BEHAVIORAL_HEALTH)
    factories.member_of(clinic, Role.ADMIN, full_name="Cleo Clinic")
    factories.member_of(clinic, Role.MEMBER, full_name="Mo Clinic")
    partnership_member_add(partnership=partnership, organization=clinic, role=MemberRole.BEHAVIORAL_HEALTH, actor=admin)
    assert told("participant.added") == {"Cleo Clinic"}
    subject = Notification.objects.get(window="participant.added").subject
    assert subject == (
        "Your organization (Riverside Clinic) was added to the partnership “Springfield co-responder partnership”"
    )


def test_milestone_approved_and_returned_reach_the_lead_and_the_submitter_not_the_actor(
    cast, partnership, admin, member, bh_admin, bh_member
):
    case_transition(case=partnership.case, name="start_planning", actor=admin)
    first, second = Milestone.objects.filter(case=partnership.case, template__key="pmhc-planning")[:2]
    milestone_submit(milestone=first, actor=bh_member, note="Done.")
    milestone_approve(milestone=first, actor=admin)
    assert told("milestone.approved") == {"Max Member", "Sam Okafor"}  # Ada approved: she is not told.
    assert told("case.opened") == {"Alicia Romero", "Priya Natarajan"}
    milestone_submit(milestone=second, actor=member, note="Done.")
    milestone_request_changes(milestone=second, actor=bh_admin, comment="Name the crisis line.")
    assert told("milestone.changes_requested") == {"Ada Admin", "Max Member"}
    returned = Notification.objects.filter(window="milestone.changes_requested").first()
    assert returned.subject.startswith("Changes requested: revise and resubmit")
    assert "Comment: Name the crisis line." in returned.body
    assert not set().union(*everyone_told().values()) & NEVER


def test_a_ta_request_acknowledged_matched_and_delivered_is_told_to_the_requesters_staff(
    cast, ta_request, coordinator, site_org
):
    case_transition(case=ta_request.case, name="acknowledge", actor=coordinator)
    ta_request_match(ta_request=ta_request, site=site_org, actor=coordinator)
    ta_delivery_record(
        ta_request=ta_request, actor=coordinator, delivered_on=organization_today(), delivery_type="training",
        hours=Decimal("4"), attendees=24,
    )  # fmt: skip
    requesters = {"Ada Admin", "Max Member"}
    assert told("ta_request-acknowledge") == requesters
    assert told("ta_request-match") == requesters
    assert told("ta_request-deliver") == requesters
    assert told("participant.added") == set()  # A site joining a TA request is not "added to a partnership".
    assert not set().union(*everyone_told().values()) & (NEVER | {"Ray Holloway"})


def _file(organization, member):
    return ta_request_create(
        actor=member, organization=organization, topic="policies", preferred_delivery="consultation", description="x"
    )


def _clock_rows():
    rows = Notification.objects.filter(target__startswith="ta:").values_list("window", "recipient__full_name")
    return sorted(rows)


def test_ta_clocks_half_time_and_missed_are_told_once_to_the_sites(organization, member, site_org, cast):
    # Monday 2027-03-01 10:00 in Springfield: acknowledge by Wednesday 10:00, match by Monday 15th 10:00.
    coordinator = cast["coordinator"]
    coordinator.time_zone = "America/Los_Angeles"  # Times are told in the reader's zone, named.
    coordinator.save(update_fields=["time_zone"])
    filed = datetime(2027, 3, 1, 10, 0, tzinfo=CHICAGO)
    with time_machine.travel(filed, tick=False):
        request = _file(organization, member)
    with time_machine.travel(filed + timedelta(hours=23, minutes=59), tick=False):
        reminders_sweep()
    assert _clock_rows() == []
    with time_machine.travel(filed + timedelta(hours=24), tick=False):
        reminders_sweep()
        reminders_sweep()
    assert _clock_rows() == [("acknowledge-half", "Ray Holloway")]
    half = Notification.objects.get(window="acknowledge-half")
    assert half.subject == f"Acknowledge the TA request “{request.case.title}”: half the time is gone"
    assert half.body == "Due Wednesday, March 3, 2027 at 8:00 AM PST."
    with time_machine.travel(filed + timedelta(days=2), tick=False):
        reminders_sweep()
    assert ("acknowledge-missed", "Ray Holloway") in _clock_rows()
    with time_machine.travel(filed + timedelta(days=7), tick=False):
        reminders_sweep()
    with time_machine.travel(filed + timedelta(days=20), tick=False):
        reminders_sweep()
        reminders_sweep()
    assert _clock_rows() == [
        ("acknowledge-half", "Ray Holloway"),
        ("acknowledge-missed", "Ray Holloway"),
        ("match-half", "Ray Holloway"),
        ("match-missed", "Ray Holloway"),
    ]  # Once each, to the site's staff: never its viewer, the requester, BJA or an outsider.


def test_an_acknowledged_request_stops_its_clock_and_a_late_sweep_sends_only_the_latest(
    organization, member, site_org, coordinator, cast
):
    filed = datetime(2027, 3, 1, 10, 0, tzinfo=CHICAGO)
    with time_machine.travel(filed, tick=False):
        request = _file(organization, member)
    with time_machine.travel(filed + timedelta(hours=1), tick=False):
        case_transition(case=request.case, name="acknowledge", actor=coordinator)
    with time_machine.travel(filed + timedelta(days=15), tick=False):  # The sweep was down for two weeks.
        ta_clocks_remind(now=datetime.now(tz=CHICAGO))
    assert _clock_rows() == [("match-missed", "Ray Holloway")]
