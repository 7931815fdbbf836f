"""TA pages: outsider 404, viewer 403 on every form, bad input 400 with its rule, exports, constant queries."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from partnerships.models import LearningSiteProfile, TADelivery, TARequest
from partnerships.services.ta import ta_delivery_record, ta_request_create, ta_request_match
from tests import factories
from tests.factories import organization_today
from tests.helpers import Write, assert_access_rules, assert_constant_queries
from workflow.models import Case, Event, Participant
from workflow.services import case_transition

from .test_pages import browser

WATCHED = [Case, Participant, TARequest, TADelivery, LearningSiteProfile, Event]


@pytest.fixture
def matched(ta_request, coordinator, site_org):
    case_transition(case=ta_request.case, name="acknowledge", actor=coordinator)
    return ta_request_match(ta_request=ta_request, site=site_org, actor=coordinator)


def test_request_page_outsider_404_and_viewers_refused(matched, outsider, viewer, site_viewer, site_org):
    base = f"/ta/{matched.id}/"
    today = organization_today().isoformat()
    writes = [
        Write("post", base + "schedule/", {"on": today}),
        Write(
            "post",
            base + "deliveries/",
            {"delivered_on": today, "delivery_type": "training", "attendees": 3, "hours": "2"},
        ),
    ]
    for reader in (viewer, site_viewer):
        assert_access_rules(
            read_url=base, writes=writes, outsider=outsider, viewer=reader, models=WATCHED, client_factory=browser
        )


def test_match_page_action_outsider_404_viewer_403(ta_request, coordinator, outsider, site_viewer, site_org):
    case_transition(case=ta_request.case, name="acknowledge", actor=coordinator)
    assert_access_rules(
        read_url=f"/ta/{ta_request.id}/",
        writes=[Write("post", f"/ta/{ta_request.id}/match/", {"site": site_org.id})],
        outsider=outsider,
        viewer=site_viewer,
        models=WATCHED,
        client_factory=browser,
    )


def test_file_a_request_from_the_form(organization, member, viewer, site_org):
    client = browser(member)
    refused = client.post(
        "/ta/new/",
        {
            "organization": organization.id,
            "topic": "policies",
            "preferred_delivery": "consultation",
            "description": " ",
        },
    )
    assert refused.status_code == 400 and not TARequest.objects.exists()
    response = client.post(
        "/ta/new/",
        {
            "organization": organization.id,
            "topic": "policies",
            "preferred_delivery": "consultation",
            "description": "Sample policies",
        },
    )
    request = TARequest.objects.get()
    assert response["Location"] == f"/ta/{request.id}/"
    page = client.get(response["Location"]).content.decode()
    assert "It will be acknowledged by" in page and "due in" in page
    assert browser(viewer).get("/ta/new/").status_code == 403


def test_coordinator_sees_the_queue_and_the_request_forms(ta_request, coordinator, member):
    queue = browser(coordinator).get("/ta/").content.decode()
    assert "Queue" in queue and ta_request.case.title in queue
    page = browser(coordinator).get(f"/ta/{ta_request.id}/").content.decode()
    assert ">Acknowledge<" in page and "Withdraw" not in page
    requester_page = browser(member).get(f"/ta/{ta_request.id}/").content.decode()
    assert ">Withdraw…<" in requester_page and ">Acknowledge<" not in requester_page
    assert "Queue" not in browser(member).get("/ta/").content.decode()


def test_negative_attendees_answer_400_with_the_rule(matched, coordinator):
    response = browser(coordinator).post(
        f"/ta/{matched.id}/deliveries/",
        {"delivered_on": organization_today().isoformat(), "delivery_type": "training", "attendees": -2, "hours": "3"},
    )
    assert response.status_code == 400
    assert "The attendee count cannot be below zero." in response.content.decode()
    assert not TADelivery.objects.exists()


def test_report_page_and_exports(matched, coordinator, grant_manager, member, outsider):
    ta_delivery_record(
        ta_request=matched,
        actor=coordinator,
        delivered_on=organization_today(),
        delivery_type="training",
        attendees=18,
        hours=Decimal("6"),
    )
    year = organization_today().year
    for user in (member, outsider):
        for url in ("/ta/report/", "/ta/report.csv", "/ta/report.xlsx"):
            assert browser(user).get(url).status_code == 404, (user, url)
    page = browser(grant_manager).get(f"/ta/report/?year={year}").content.decode()
    assert "<svg" in page and "Madison County Sheriff" in page and "All Learning Sites" in page
    csv = browser(grant_manager).get(f"/ta/report.csv?year={year}")
    assert csv["Content-Disposition"] == f'attachment; filename="ta-report-{year}.csv"'
    assert "All Learning Sites,1,0,1,18" in csv.content.decode()
    xlsx = browser(coordinator).get(f"/ta/report.xlsx?year={year}")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [cell.value for cell in sheet[sheet.max_row]][:5] == ["All Learning Sites", 1, 0, 1, 18]
    assert browser(grant_manager).get("/ta/report/?year=12").status_code == 400


def test_learning_site_profile_page(site_org, coordinator, site_viewer, outsider):
    url = f"/learning-sites/{site_org.id}/profile/"
    data = {"response_models": ["cit"], "topics": ["cit_training"], "capacity_per_quarter": 4, "summary": "Rural CIT"}
    assert browser(outsider).get(url).status_code == 404
    assert browser(outsider).post(url, data).status_code == 404
    assert browser(site_viewer).post(url, data).status_code == 403
    assert not LearningSiteProfile.objects.exists()
    assert browser(coordinator).post(url, {**data, "capacity_per_quarter": -1}).status_code == 400
    assert browser(coordinator).post(url, data).status_code == 302
    directory = browser(outsider).get("/learning-sites/").content.decode()
    assert "Rural CIT" in directory and "0 of 4 taken" in directory


def test_ta_lists_and_the_case_list_have_constant_queries(organization, member, coordinator, site_org, grant_manager):
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

    bja, requester = browser(grant_manager), browser(member)
    assert_constant_queries(
        requests={
            "BJA's /ta/": lambda: bja.get("/ta/"),
            "the requester's /ta/": lambda: requester.get("/ta/"),
            "BJA's dashboard": lambda: bja.get("/"),
            "/ta/report/": lambda: bja.get("/ta/report/"),
            # The case list links each TA request to its page (Machine.page_related): no query per row.
            "the requester's /cases/": lambda: requester.get("/cases/"),
        },
        grow=more_requests,
    )
    assert_constant_queries(request=lambda: bja.get("/learning-sites/"), grow=more_sites)
    assert "/ta/" in requester.get("/cases/").content.decode()
