"""Post-award endpoints and pages: outsiders get 404, viewers may read but not write (and nothing changes),
bad input is a 4xx naming the rule, and every list costs the same queries for 5 rows as for 50 (the award lists
in tests/grants/test_award_list_queries.py)."""

from datetime import date, timedelta

import pytest

from grants import reporting
from grants.awards.services.reports import _add
from grants.models import Award, MatchReport, Modification, Report
from tests.grants import award_flow
from tests.grants.test_pages import page_client
from tests.helpers import Write, api_client, assert_access_rules, assert_constant_queries
from workflow.models import Case, Milestone

MODELS = [Award, Report, Modification, MatchReport, Milestone, Case]


@pytest.fixture
def accepted(award, admin):
    return award_flow.accept(award, admin)


def test_award_api_access(accepted, outsider, viewer):
    report = award_flow.first_quarterly(accepted)
    base, rep = f"/api/v1/awards/{accepted.pk}/", f"/api/v1/award-reports/{report.pk}/"
    assert_access_rules(
        read_url=base,
        writes=[
            Write("post", base + "accept/"),
            Write("post", base + "decline/", {"reason": "No."}),
            Write("post", base + "roles/", {"financial_manager": None}),
            Write("post", base + "planning-spending/", {"amount": "10.00"}),
            Write("post", base + "match/", {"year": 1, "amount": "10.00"}),
            Write("post", base + "modifications/", {"kind": "scope", "description": "M."}),
            Write("post", rep + "draft/", {"text": "Numbers."}),
            Write("post", rep + "submit/"),
            Write("post", rep + "approve/"),
            Write("post", rep + "send-back/", {"comment": "No."}),
        ],
        outsider=outsider,
        viewer=viewer,
        models=MODELS,
    )
    for url in (base + "reports/", base + "match/", base + "modifications/", rep):
        assert api_client(outsider).get(url).status_code == 404
        assert api_client(viewer).get(url).status_code == 200


def test_modification_api_access(accepted, admin, outsider, viewer):
    created = api_client(admin).post(
        f"/api/v1/awards/{accepted.pk}/modifications/", {"kind": "scope", "description": "Add a county."}, format="json"
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/modifications/{created.json()['id']}/"
    assert_access_rules(
        read_url=url,
        writes=[Write("post", url + "submit/"), Write("post", url + "decide/", {"approve": True})],
        outsider=outsider,
        viewer=viewer,
        models=MODELS,
    )


def test_award_page_access(accepted, outsider, viewer):
    report = award_flow.first_quarterly(accepted)
    base = f"/grants/awards/{accepted.pk}/"
    rep = f"{base}reports/{report.pk}/"
    assert_access_rules(
        read_url=base,
        writes=[
            Write("post", base + "accept/"),
            Write("post", base + "decline/", {"reason": "No."}),
            Write("post", base + "planning-spending/", {"planning-amount": "10.00"}),
            Write("post", base + "match/", {"match-year": 1, "match-amount": "10.00"}),
            Write("post", base + "modifications/", {"modification-kind": "scope", "modification-description": "M."}),
            Write("post", rep + "draft/", {"text": "Numbers."}),
            Write("post", rep + "submit/"),
            Write("post", rep + "approve/"),
        ],
        outsider=outsider,
        viewer=viewer,
        models=MODELS,
        client_factory=page_client,
    )
    assert page_client(outsider).get(rep).status_code == 404
    assert page_client(viewer).get(rep).status_code == 200
    assert page_client(outsider).get(f"/grants/cases/{accepted.case_id}/").status_code == 404
    assert page_client(viewer).get(f"/grants/cases/{accepted.case_id}/").url == base


@pytest.mark.parametrize(
    ("who", "path", "body", "status", "code"),
    [
        ("member", "accept/", {}, 403, "not_authorized_representative"),
        ("admin", "modifications/", {"kind": "no_cost_extension", "description": "x", "new_end": "2020-01-01"},
         400, "extension_shortens"),
        ("member", "planning-spending/", {"amount": "100000.01"}, 400, "planning_cap_exceeded"),
        ("member", "match/", {"year": 9, "amount": "5.00"}, 400, "year_outside"),
    ],
)  # fmt: skip
def test_bad_input_names_the_rule_and_changes_nothing(request, award, admin, who, path, body, status, code):
    if path != "accept/":
        award_flow.accept(award, admin)
    before = (Award.objects.values().get(pk=award.pk), Modification.objects.count(), MatchReport.objects.count())
    response = api_client(request.getfixturevalue(who)).post(f"/api/v1/awards/{award.pk}/{path}", body, format="json")
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert (
        Award.objects.values().get(pk=award.pk),
        Modification.objects.count(),
        MatchReport.objects.count(),
    ) == before


def test_declined_then_accepted_is_409(award, admin):
    api_client(admin).post(
        f"/api/v1/awards/{award.pk}/decline/", {"reason": "No match.", "confirm": True}, format="json"
    )
    response = api_client(admin).post(f"/api/v1/awards/{award.pk}/accept/")
    assert response.status_code == 409 and response.json()["code"] == "declined"


def test_own_report_approval_is_403(accepted, member):
    report = award_flow.first_quarterly(accepted)
    client = api_client(member)
    client.post(f"/api/v1/award-reports/{report.pk}/draft/", {"text": "Mine."}, format="json")
    response = client.post(f"/api/v1/award-reports/{report.pk}/submit/")
    assert response.status_code == 403 and response.json()["code"] == "own_report"


def test_alternate_submitting_is_403(accepted, admin, member):
    api_client(admin).post(
        f"/api/v1/awards/{accepted.pk}/roles/", {"alternate_administrator": member.email}, format="json"
    )
    response = api_client(member).post(
        f"/api/v1/awards/{accepted.pk}/modifications/",
        {"kind": "scope", "description": "x", "submit": True},
        format="json",
    )
    assert response.status_code == 403 and response.json()["code"] == "not_award_administrator"
    assert not Modification.objects.exists()


def test_award_reports_list_constant_queries(accepted, admin):
    def grow(n):
        for i in range(n):
            day = date(2040, 1, 1) + timedelta(days=i)
            _add(accepted, None, reporting.ReportingPeriod("financial", day, day, day))

    url = f"/api/v1/awards/{accepted.pk}/reports/?page_size=100"
    assert_constant_queries(request=lambda: api_client(admin).get(url), grow=grow)
    assert_constant_queries(request=lambda: page_client(admin).get(f"/grants/awards/{accepted.pk}/"), grow=grow)


def test_exports_respect_access(accepted, outsider, grant_manager):
    assert accepted.number not in page_client(outsider).get("/grants/awards/export/awards.csv").content.decode()
    assert accepted.number in page_client(grant_manager).get("/grants/awards/export/awards.csv").content.decode()


def test_award_page_shows_the_countdown_and_why_implementation_is_locked(award, admin):
    page = page_client(admin).get(f"/grants/awards/{award.pk}/").content.decode()
    assert "45 days left" in page and "Accept the award" in page
    award_flow.accept(award, admin)
    page = page_client(admin).get(f"/grants/awards/{award.pk}/").content.decode()
    assert "Implementation is locked until BJA approves every planning deliverable." in page
    assert "Performance measures (PMT): Oct 1, " in page


def test_reports_cannot_skip_their_chain_through_the_generic_milestone_endpoints(accepted, bh_admin, grant_manager):
    report = award_flow.first_quarterly(accepted)
    url = f"/api/v1/milestones/{report.milestone_id}/"
    response = api_client(bh_admin).post(url + "submit/", {"note": "PMT figures"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "domain_managed"
    assert api_client(grant_manager).post(url + "approve/", {}, format="json").status_code == 403
    report.milestone.refresh_from_db()
    assert report.milestone.status == "open"


def test_sending_a_report_back_needs_the_reason(accepted, member, bh_member, grant_manager):
    report = award_flow.report_through_lead(award_flow.first_quarterly(accepted), bh_member, member)
    client = api_client(grant_manager)
    response = client.post(f"/api/v1/award-reports/{report.pk}/send-back/", {"comment": " "}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "comment"
    report.milestone.refresh_from_db()
    assert report.milestone.status == "submitted"
