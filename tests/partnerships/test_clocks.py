"""What time does to partnerships and TA requests: an agreement expires, a TA clock is missed."""

import zoneinfo
from datetime import datetime, time, timedelta

import time_machine
from django.test import Client

from partnerships.selectors.partnerships import partnership_has_mou_in_force
from tests.factories import organization_today
from tests.partnerships.steps import sign_mou
from workflow.clocks import clocks_sweep
from workflow.models import Event
from workflow.templatetags.workflow_tags import event_sentence


def noon(day, organization):
    return datetime.combine(day, time(12), tzinfo=zoneinfo.ZoneInfo(organization.time_zone))


def test_an_expired_agreement_stops_counting_and_the_partnership_says_why(
    partnership, admin, bh_admin, organization, bh_org
):
    expiry = organization_today() + timedelta(days=30)
    agreement = sign_mou(partnership, admin, bh_admin, organization, bh_org, expiry_date=expiry)
    assert partnership_has_mou_in_force(partnership=partnership)

    clocks_sweep(now=noon(expiry - timedelta(days=1), organization))
    assert not Event.objects.filter(case=partnership.case, verb="agreement.expired").exists()

    with time_machine.travel(noon(expiry, organization), tick=False):
        clocks_sweep()
        clocks_sweep()
        assert not partnership_has_mou_in_force(partnership=partnership)
        flag = Event.objects.get(case=partnership.case, verb="agreement.expired")
        assert flag.actor is None and flag.data["agreement"] == agreement.pk and flag.data["by"] == "system"
        sentence = event_sentence(flag, partnership.case)
        day = f"{expiry:%b} {expiry.day}, {expiry.year}"
        assert sentence.startswith("System: the ") and f"“Co-responder MOU” expired on {day}" in sentence
        assert sentence.endswith("it no longer counts as in force.")
        client = Client()
        client.force_login(admin)
        page = client.get(f"/partnerships/{partnership.pk}/").content.decode()
        assert "No longer in force:" in page and "no longer counts as in force" in page
    partnership.case.refresh_from_db()
    assert partnership.case.stage == "exploring"  # A flag, not a move: the guards then stop implementing.


def test_an_unsigned_agreement_that_expires_raises_no_flag(partnership, admin, organization, bh_org):
    from partnerships.services.agreements import agreement_create

    expiry = organization_today() + timedelta(days=5)
    agreement_create(
        partnership=partnership,
        actor=admin,
        kind="mou",
        title="Draft MOU",
        parties=[organization, bh_org],
        effective_date=organization_today() - timedelta(days=1),
        expiry_date=expiry,
    )
    clocks_sweep(now=noon(expiry + timedelta(days=1), organization))
    assert not Event.objects.filter(case=partnership.case, verb="agreement.expired").exists()


def test_a_ta_request_not_acknowledged_in_time_is_marked_missed_once(ta_request, coordinator):
    later = ta_request.acknowledge_due_at + timedelta(minutes=1)
    clocks_sweep(now=ta_request.acknowledge_due_at - timedelta(minutes=1))
    assert not Event.objects.filter(case=ta_request.case, verb="ta.clock_missed").exists()
    clocks_sweep(now=later)
    clocks_sweep(now=later + timedelta(hours=1))
    missed = Event.objects.get(case=ta_request.case, verb="ta.clock_missed")
    assert missed.data["clock"] == "acknowledge_missed" and missed.actor is None
    assert "48-hour acknowledgement clock passed" in missed.data["reason"] and "marked missed" in missed.data["reason"]

    clocks_sweep(now=ta_request.match_due_at + timedelta(minutes=1))
    clocks = sorted(Event.objects.filter(case=ta_request.case, verb="ta.clock_missed").values_list("data__clock"))
    assert clocks == [("acknowledge_missed",), ("match_missed",)]


def test_an_acknowledged_request_misses_no_acknowledgement_clock(ta_request, coordinator):
    from workflow.services import case_transition

    case_transition(case=ta_request.case, name="acknowledge", actor=coordinator)
    clocks_sweep(now=ta_request.acknowledge_due_at + timedelta(hours=1))
    assert not Event.objects.filter(case=ta_request.case, verb="ta.clock_missed").exists()
