"""TA endpoints: outsider 404 and viewer 403 on every one, bad input named, the flow, constant queries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from partnerships.models import LearningSiteProfile, TADelivery, TARequest
from partnerships.services.ta import ta_delivery_record, ta_request_create, ta_request_match
from tests import factories
from tests.factories import organization_today
from tests.helpers import Write, api_client, assert_access_rules, assert_constant_queries
from workflow.models import Case, Event, Participant
from workflow.services import case_transition

WATCHED = [Case, Participant, TARequest, TADelivery, LearningSiteProfile, Event]


@pytest.fixture
def matched(ta_request, coordinator, site_org):
    case_transition(case=ta_request.case, name="acknowledge", actor=coordinator)
    return ta_request_match(ta_request=ta_request, site=site_org, actor=coordinator)


def test_ta_request_endpoints_outsider_404_viewer_403(matched, outsider, viewer, site_viewer, site_org):
    base = f"/api/v1/ta-requests/{matched.id}/"
    today = organization_today().isoformat()
    writes = [
        Write("post", base + "schedule/", {"on": today}),
        Write(
            "post",
            base + "deliveries/",
            {"delivered_on": today, "delivery_type": "training", "attendees": 5, "hours": "2"},
        ),
        Write("post", f"/api/v1/cases/{matched.case_id}/transitions/", {"name": "withdraw"}),
    ]
    for read in ["", "deliveries/"]:
        assert_access_rules(read_url=base + read, writes=[], outsider=outsider, viewer=viewer, models=WATCHED)
    # The requester's viewer and the Learning Site's viewer are both refused.
    for reader in (viewer, site_viewer):
        assert_access_rules(read_url=base, writes=writes, outsider=outsider, viewer=reader, models=WATCHED)


def test_acknowledge_and_match_outsider_404_viewer_403(ta_request, outsider, site_viewer, site_org):
    writes = [
        Write("post", f"/api/v1/cases/{ta_request.case_id}/transitions/", {"name": "acknowledge"}),
        Write("post", f"/api/v1/ta-requests/{ta_request.id}/match/", {"site": site_org.id}),
    ]
    assert_access_rules(
        read_url=f"/api/v1/ta-requests/{ta_request.id}/",
        writes=writes,
        outsider=outsider,
        viewer=site_viewer,
        models=WATCHED,
    )


def test_filing_is_refused_to_viewers_and_strangers(organization, viewer, outsider):
    body = {
        "organization": organization.id,
        "topic": "policies",
        "preferred_delivery": "consultation",
        "description": "Sample policies",
    }
    assert api_client(viewer).post("/api/v1/ta-requests/", body, format="json").status_code == 403
    stranger = api_client(outsider).post("/api/v1/ta-requests/", body, format="json")
    assert stranger.status_code == 400 and stranger.json()["code"] == "not_your_organization"
    assert not TARequest.objects.exists()


def test_profile_outsider_404_viewer_403(site_org, site_viewer, outsider, coordinator):
    url = f"/api/v1/learning-sites/{site_org.id}/profile/"
    body = {"response_models": ["cit"], "topics": ["cit_training"], "capacity_per_quarter": 6}
    assert api_client(outsider).put(url, body, format="json").status_code == 404
    assert api_client(site_viewer).put(url, body, format="json").status_code == 403
    assert not LearningSiteProfile.objects.exists()
    response = api_client(coordinator).put(url, body, format="json")
    assert response.status_code == 200 and response.json()["capacity_per_quarter"] == 6


def test_report_is_for_learning_sites_and_bja(matched, outsider, member, coordinator, site_viewer, grant_manager):
    for user in (outsider, member):
        assert api_client(user).get("/api/v1/ta-report/").status_code == 404
    for user in (coordinator, site_viewer, grant_manager):
        response = api_client(user).get(f"/api/v1/ta-report/?year={matched.case.opened_at.year}")
        assert response.status_code == 200
        assert response.json()["total"]["requests_received"] == 1
    assert api_client(grant_manager).get("/api/v1/ta-report/?year=1066").json()["code"] == "invalid"


def test_the_whole_flow_over_the_api(organization, member, coordinator, site_org, grant_manager):
    requester, site = api_client(member), api_client(coordinator)
    filed = requester.post(
        "/api/v1/ta-requests/",
        {
            "organization": organization.id,
            "topic": "cit_training",
            "preferred_delivery": "training",
            "preferred_site": site_org.id,
            "description": "CIT training for 20 officers",
        },
        format="json",
    )
    assert filed.status_code == 201, filed.json()
    request = filed.json()
    assert request["stage"] == "received" and request["acknowledge_due_at"]
    assert site.get("/api/v1/ta-requests/queue/").json()["results"][0]["id"] == request["id"]
    ack = site.post(f"/api/v1/cases/{request['case']}/transitions/", {"name": "acknowledge"}, format="json")
    assert ack.status_code == 200, ack.json()
    matched = site.post(f"/api/v1/ta-requests/{request['id']}/match/", {"site": site_org.id}, format="json")
    assert matched.status_code == 200 and matched.json()["stage"] == "matched"
    today = organization_today().isoformat()
    delivered = site.post(
        f"/api/v1/ta-requests/{request['id']}/deliveries/",
        {"delivered_on": today, "delivery_type": "training", "attendees": 22, "hours": "8"},
        format="json",
    )
    assert delivered.status_code == 201, delivered.json()
    assert site.get(f"/api/v1/ta-requests/{request['id']}/").json()["stage"] == "delivered"
    report = api_client(grant_manager).get("/api/v1/ta-report/").json()
    assert report["total"]["trainings"] == 1 and report["rows"][0]["site"] == site_org.name


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"attendees": -3}, "negative_attendees"),
        ({"delivered_on": "2001-01-01"}, "delivered_on_before_request"),
        ({"attendees": None}, "attendees_required"),
    ],
)
def test_bad_deliveries_name_the_rule(matched, coordinator, body, code):
    values = {
        "delivered_on": organization_today().isoformat(),
        "delivery_type": "webinar",
        "attendees": 5,
        "hours": "1",
        **body,
    }
    response = api_client(coordinator).post(f"/api/v1/ta-requests/{matched.id}/deliveries/", values, format="json")
    assert response.status_code == 400 and response.json()["code"] == code, response.json()
    assert not TADelivery.objects.exists()


def test_ta_lists_have_constant_queries(organization, member, coordinator, site_org, grant_manager):
    def more_requests(count):
        for _ in range(count):
            ta_request_create(
                actor=member,
                organization=organization,
                topic="policies",
                preferred_delivery="consultation",
                description="x",
                preferred_site=factories.OrganizationFactory(is_learning_site=True),
            )

    def more_sites(count):
        for _ in range(count):
            factories.OrganizationFactory(is_learning_site=True)

    first = ta_request_create(
        actor=member, organization=organization, topic="policies", preferred_delivery="consultation", description="x"
    )
    case_transition(case=first.case, name="acknowledge", actor=coordinator)
    ta_request_match(ta_request=first, site=site_org, actor=coordinator)

    def more_deliveries(count):
        for _ in range(count):
            ta_delivery_record(
                ta_request=first,
                actor=coordinator,
                delivered_on=organization_today(),
                delivery_type="site_visit",
                hours=Decimal("2"),
                site=factories.OrganizationFactory(is_learning_site=True),
            )

    requester, bja = api_client(member), api_client(grant_manager)
    assert_constant_queries(
        requests={
            "the requester's list": lambda: requester.get("/api/v1/ta-requests/?page_size=100"),
            "BJA's queue": lambda: bja.get("/api/v1/ta-requests/queue/?page_size=100"),
        },
        grow=more_requests,
    )
    assert_constant_queries(request=lambda: bja.get("/api/v1/learning-sites/?page_size=100"), grow=more_sites)
    url = f"/api/v1/ta-requests/{first.id}/deliveries/?page_size=100"
    assert_constant_queries(
        requests={"deliveries": lambda: bja.get(url), "the report": lambda: bja.get("/api/v1/ta-report/")},
        grow=more_deliveries,
    )


def test_schedule_before_the_request_is_refused(matched, coordinator):
    response = api_client(coordinator).post(
        f"/api/v1/ta-requests/{matched.id}/schedule/",
        {"on": (date.today() - timedelta(days=400)).isoformat()},
        format="json",
    )
    assert response.status_code == 400 and response.json()["code"] == "scheduled_for_before_request"
    matched.refresh_from_db()
    assert matched.scheduled_for is None and matched.case.stage == "matched"


def test_the_queue_is_counted_when_asked(ta_request, coordinator):
    """The queue is a list built in Python: ``?count=true`` counts it as it counts a queryset."""
    body = api_client(coordinator).get("/api/v1/ta-requests/queue/?count=true").json()
    assert body["count"] == 1 and [row["id"] for row in body["results"]] == [ta_request.id]
