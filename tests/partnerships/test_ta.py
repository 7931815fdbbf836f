"""TA requests: who sees and coordinates them (through case participants), their clocks, stages and deliveries."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from accounts.models import OrganizationKind, Role
from config.errors import Conflict, NotAllowed, ServiceError
from partnerships.models import TADelivery
from partnerships.selectors.ta import ta_queue, ta_request_list
from partnerships.services.ta import ta_delivery_record, ta_request_create, ta_request_match, ta_request_schedule
from tests import factories
from tests.factories import organization_today
from workflow.models import Case, Participant
from workflow.services import case_transition

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


@pytest.fixture
def other_site(db):
    return factories.OrganizationFactory(name="Tucson Police Department", kind="law_enforcement", is_learning_site=True)


@pytest.fixture
def other_site_staff(other_site):
    return factories.member_of(other_site, Role.MEMBER, full_name="Tess Tucson")


def _acknowledged(ta_request, coordinator):
    case_transition(case=ta_request.case, name="acknowledge", actor=coordinator)
    ta_request.refresh_from_db()
    return ta_request


def _matched(ta_request, coordinator, site):
    _acknowledged(ta_request, coordinator)
    return ta_request_match(ta_request=ta_request, site=site, actor=coordinator)


def _deliver(ta_request, actor, **fields):
    fields = {
        "delivered_on": organization_today(),
        "delivery_type": "training",
        "hours": Decimal("4"),
        "attendees": 24,
        **fields,
    }
    return ta_delivery_record(ta_request=ta_request, actor=actor, **fields)


def test_a_request_for_any_site_is_offered_to_every_learning_site_and_bja(other_site, ta_request, site_org, bja):
    roles = dict(Participant.objects.filter(case=ta_request.case).values_list("organization__name", "role"))
    assert roles == {
        "Springfield Police Department": "lead",
        site_org.name: "partner",
        other_site.name: "partner",
        bja.name: "reviewer",
    }


def test_a_preferred_site_is_the_only_one_offered(organization, member, site_org, other_site, bja):
    request = ta_request_create(
        actor=member,
        organization=organization,
        topic="dispatch",
        preferred_delivery="site_visit",
        description="Dispatch triage",
        preferred_site=site_org,
    )
    sites = set(request.case.participations.filter(role="partner").values_list("organization", flat=True))
    assert sites == {site_org.pk}


def test_who_sees_a_request(ta_request, member, coordinator, grant_manager, outsider, bh_admin):
    for user in (member, coordinator, grant_manager):
        assert list(ta_request_list(user=user)) == [ta_request], user
    for user in (outsider, bh_admin):
        assert list(ta_request_list(user=user)) == [], user


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"topic": "astrology"}, "invalid_choice"),
        ({"preferred_delivery": "carrier_pigeon"}, "invalid_choice"),
        ({"description": "  "}, "required"),
    ],
)
def test_bad_requests_are_refused(organization, member, fields, code):
    values = {"topic": "policies", "preferred_delivery": "consultation", "description": "Sample policies", **fields}
    with pytest.raises(ServiceError) as error:
        ta_request_create(actor=member, organization=organization, **values)
    assert error.value.code == code
    assert not Case.objects.exists()


def test_only_a_learning_site_can_be_preferred_and_viewers_cannot_file(organization, member, viewer, bh_org):
    with pytest.raises(ServiceError, match="not a Learning Site"):
        ta_request_create(
            actor=member,
            organization=organization,
            topic="policies",
            preferred_delivery="consultation",
            description="x",
            preferred_site=bh_org,
        )
    with pytest.raises(NotAllowed):
        ta_request_create(
            actor=viewer,
            organization=organization,
            topic="policies",
            preferred_delivery="consultation",
            description="x",
        )
    assert not Case.objects.exists()


def test_clocks_are_set_when_filed_over_a_holiday_weekend(organization, member, site_org):
    # Wednesday before Thanksgiving, 14:00 in Springfield (Chicago time).
    with time_machine.travel(datetime(2026, 11, 25, 14, 0, tzinfo=CHICAGO), tick=False):
        request = ta_request_create(
            actor=member,
            organization=organization,
            topic="policies",
            preferred_delivery="consultation",
            description="x",
        )
    assert request.acknowledge_due_at == datetime(2026, 11, 30, 14, 0, tzinfo=CHICAGO)
    assert request.match_due_at == datetime(2026, 12, 9, 14, 0, tzinfo=CHICAGO)


def test_the_match_clock_keeps_the_wall_clock_hour_in_the_sites_zone_across_daylight_saving(
    organization, member, site_org
):
    new_york = zoneinfo.ZoneInfo("America/New_York")
    site_org.time_zone = "America/New_York"
    site_org.save(update_fields=["time_zone"])
    with time_machine.travel(datetime(2027, 3, 5, 10, 0, tzinfo=new_york), tick=False):
        request = ta_request_create(
            actor=member,
            organization=organization,
            topic="policies",
            preferred_delivery="consultation",
            description="x",
            preferred_site=site_org,
        )
    # Received 2027-03-05 10:00 EST: due 2027-03-19 10:00 EDT (14 UTC days would say 11:00).
    assert request.match_due_at == datetime(2027, 3, 19, 10, 0, tzinfo=new_york)
    assert request.match_due_at.astimezone(new_york).strftime("%H:%M %Z") == "10:00 EDT"


def test_acknowledge_and_match_are_for_coordinators(ta_request, member, coordinator, site_viewer, site_org):
    for user in (member, site_viewer):
        with pytest.raises(NotAllowed, match="TA coordinator"):
            case_transition(case=ta_request.case, name="acknowledge", actor=user)
    _acknowledged(ta_request, coordinator)
    assert ta_request.acknowledged_at is not None
    with pytest.raises(NotAllowed):
        ta_request_match(ta_request=ta_request, site=site_org, actor=member)
    matched = ta_request_match(ta_request=ta_request, site=site_org, actor=coordinator)
    assert (matched.case.stage, matched.matched_site, matched.matched_at is not None) == ("matched", site_org, True)


def test_bja_coordinates_too(ta_request, grant_manager, site_org):
    matched = _matched(ta_request, grant_manager, site_org)
    assert matched.case.stage == "matched"


def test_a_site_not_offered_the_request_cannot_take_it(organization, member, site_org, other_site, other_site_staff):
    request = ta_request_create(
        actor=member,
        organization=organization,
        topic="dispatch",
        preferred_delivery="site_visit",
        description="x",
        preferred_site=site_org,
    )
    coordinator = factories.member_of(site_org, Role.ADMIN)
    _acknowledged(request, coordinator)
    with pytest.raises(ServiceError):  # other_site_staff cannot see it at all
        ta_request_match(ta_request=request, site=other_site, actor=other_site_staff)
    assert not Participant.objects.filter(case=request.case, organization=other_site).exists()
    # The coordinator may match it elsewhere; the other site then takes part.
    ta_request_match(ta_request=request, site=other_site, actor=coordinator)
    assert Participant.objects.filter(case=request.case, organization=other_site, role="partner").exists()


def test_match_needs_a_learning_site_and_the_acknowledged_stage(ta_request, coordinator, bh_org, site_org):
    with pytest.raises(Conflict, match="received"):
        ta_request_match(ta_request=ta_request, site=site_org, actor=coordinator)
    _acknowledged(ta_request, coordinator)
    with pytest.raises(ServiceError, match="not a Learning Site"):
        ta_request_match(ta_request=ta_request, site=bh_org, actor=coordinator)
    ta_request.refresh_from_db()
    assert ta_request.matched_site is None and ta_request.case.stage == "acknowledged"


def test_the_match_transition_alone_needs_a_site(ta_request, coordinator):
    _acknowledged(ta_request, coordinator)
    from workflow.errors import GuardFailed

    with pytest.raises(GuardFailed, match="Choose the Learning Site"):
        case_transition(case=ta_request.case, name="match", actor=coordinator)


def test_schedule_deliver_close(ta_request, coordinator, site_org, member):
    _matched(ta_request, coordinator, site_org)
    with pytest.raises(NotAllowed):
        ta_request_schedule(ta_request=ta_request, on=organization_today(), actor=member)
    scheduled = ta_request_schedule(
        ta_request=ta_request, on=organization_today() + timedelta(days=10), actor=coordinator
    )
    assert scheduled.case.stage == "scheduled"
    delivery = _deliver(ta_request, coordinator)
    assert (delivery.site, delivery.attendees) == (site_org, 24)
    ta_request.case.refresh_from_db()
    assert ta_request.case.stage == "delivered"
    _deliver(ta_request, coordinator, delivery_type="consultation", attendees=None, hours=Decimal("1"))
    assert TADelivery.objects.count() == 2
    assert case_transition(case=ta_request.case, name="close", actor=member).stage == "closed"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"attendees": -1}, "negative_attendees"),
        ({"attendees": None}, "attendees_required"),
        ({"hours": Decimal("0")}, "hours_not_positive"),
        ({"delivered_on": date(2000, 1, 1)}, "delivered_on_before_request"),
        ({"delivered_on": date(2999, 1, 1)}, "delivered_in_future"),
        ({"delivery_type": "telegram"}, "invalid_choice"),
    ],
)
def test_bad_deliveries_are_refused_and_change_nothing(ta_request, coordinator, site_org, fields, code):
    _matched(ta_request, coordinator, site_org)
    with pytest.raises(ServiceError) as error:
        _deliver(ta_request, coordinator, **fields)
    assert error.value.code == code
    ta_request.case.refresh_from_db()
    assert not TADelivery.objects.exists() and ta_request.case.stage == "matched"


def test_only_the_matched_site_records_deliveries(other_site_staff, ta_request, coordinator, site_org, member):
    _matched(ta_request, coordinator, site_org)
    for user in (other_site_staff, member):
        with pytest.raises(NotAllowed):
            _deliver(ta_request, user)
    assert not TADelivery.objects.exists()


def test_withdraw_is_for_the_requester_and_decline_for_coordinators(ta_request, coordinator, member):
    with pytest.raises(NotAllowed, match="requesting organization"):
        case_transition(case=ta_request.case, name="withdraw", actor=coordinator)
    with pytest.raises(NotAllowed):
        case_transition(case=ta_request.case, name="decline", actor=member)
    assert case_transition(case=ta_request.case, name="decline", actor=coordinator).stage == "declined"
    with pytest.raises(NotAllowed, match="matched Learning Site"):  # declined before any site was matched
        _deliver(ta_request, coordinator)


def test_queue_lists_overdue_clocks(organization, member, coordinator, site_org):
    with time_machine.travel(datetime(2026, 11, 16, 9, 0, tzinfo=CHICAGO), tick=False):
        old = ta_request_create(
            actor=member,
            organization=organization,
            topic="policies",
            preferred_delivery="consultation",
            description="x",
        )
    fresh = ta_request_create(
        actor=member, organization=organization, topic="policies", preferred_delivery="consultation", description="y"
    )
    queue = ta_queue(user=coordinator, now=datetime(2026, 11, 20, 9, 0, tzinfo=CHICAGO))
    assert queue.open == [old, fresh]
    assert queue.acknowledge_overdue == [old]
    assert ta_queue(user=coordinator, now=datetime(2026, 12, 1, 9, 0, tzinfo=CHICAGO)).match_overdue == [old]
    # The requester does not coordinate its own requests.
    assert ta_queue(user=member).open == []


def test_a_learning_site_requesting_help_does_not_coordinate_its_own_request(site_org, coordinator, other_site_staff):
    request = ta_request_create(
        actor=coordinator, organization=site_org, topic="policies", preferred_delivery="consultation", description="x"
    )
    with pytest.raises(NotAllowed):
        case_transition(case=request.case, name="acknowledge", actor=coordinator)
    assert case_transition(case=request.case, name="acknowledge", actor=other_site_staff).stage == "acknowledged"


def test_federal_organizations_do_not_file_requests(bja, grant_manager):
    admin = factories.member_of(bja, Role.ADMIN)
    with pytest.raises(ServiceError, match="BJA coordinates"):
        ta_request_create(
            actor=admin, organization=bja, topic="policies", preferred_delivery="consultation", description="x"
        )
    assert bja.kind == OrganizationKind.FEDERAL
