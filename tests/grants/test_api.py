"""The pre-award story over the API, and bad input answered with a 4xx naming the rule."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from grants import services
from grants.models import Application, BudgetYear, ReviewScore
from tests import factories
from tests.grants import flow
from tests.helpers import api_client


def _ok(response, status=200):
    assert response.status_code == status, response.json()
    return response.json()


def test_the_story_over_the_api(
    solicitation, organization, admin, bh_org, bh_admin, grant_manager, reviewer, reviewer2
):
    lead, partner, manager = api_client(admin), api_client(bh_admin), api_client(grant_manager)
    category = solicitation.categories.get()
    created = _ok(
        lead.post(
            "/api/v1/applications/",
            {
                "solicitation": solicitation.id,
                "organization": organization.id,
                "category": category.id,
                "title": "Co-responders",
                "co_applicants": [bh_org.id],
            },
            format="json",
        ),
        201,
    )
    url = f"/api/v1/applications/{created['id']}/"
    start = flow.project_start()
    _ok(
        lead.patch(
            url,
            {
                "abstract": "Clinicians ride along.",
                "amount_requested": "540000",
                "project_start": start,
                "project_end": start.replace(year=start.year + 3) - timedelta(days=1),
            },
            format="json",
        )
    )
    body = _ok(lead.put(url + "budget/", {"years": flow.BUDGET}, format="json"))
    assert [line["year"] for line in body["budget"]] == [1, 2, 3]
    for kind in solicitation.required_document_kinds:
        upload = flow.xlsx() if kind == "budget_detail_worksheet" else flow.pdf(f"{kind}.pdf")
        _ok(partner.post(url + "documents/", {"file": upload, "kind": kind}), 201)
    readiness = _ok(lead.get(url + "readiness/"))
    assert readiness["content_ready"] and not readiness["ready"]
    assert readiness["waiting_for"] == ["Springfield Police Department", "Prairie Behavioral Health"]
    _ok(lead.post(url + "sign/"))
    _ok(partner.post(url + "sign/"))
    _ok(lead.post(url + "grants-gov/"))
    assert _ok(lead.post(url + "submit/", {"comment": "Submitted"}, format="json"))["stage"] == "submitted"
    application = Application.objects.get(pk=created["id"])
    flow.to_completeness_review(application, grant_manager)
    assert _ok(manager.post(url + "completeness/", {"complete": True}, format="json"))["stage"] == "peer_review"
    for person in (reviewer, reviewer2):
        _ok(manager.post(url + "reviewers/", {"reviewer": person.email}, format="json"), 201)
        _ok(api_client(person).post(url + "declaration/", {"no_conflict": True}, format="json"))
    scores = {str(c.id): {"score": str(c.weight - 1), "comment": "Good"} for c in solicitation.criteria.all()}
    mine = _ok(api_client(reviewer).post(url + "review/", {"scores": scores}, format="json"))
    assert Decimal(mine["total"]) == Decimal(95)
    hidden = _ok(api_client(reviewer2).get(url + "reviews/"))
    assert [(row["reviewer"], row["scores"]) for row in hidden] == [(reviewer2.id, [])]
    assert _ok(api_client(admin).get(url + "reviews/")) == []
    listed = _ok(api_client(reviewer).get("/api/v1/reviews/"))["results"]
    assert [(row["application"], row["status"]) for row in listed] == [(application.id, "submitted")]
    summary = _ok(manager.get(url + "summary/"))
    assert (summary["submitted"], summary["expected"], Decimal(summary["average"])) == (1, 2, Decimal(95))
    ranking = _ok(manager.get(f"/api/v1/solicitations/{solicitation.id}/ranking/"))["results"]
    assert [(row["rank"], row["title"]) for row in ranking] == [(1, "Co-responders")]


def _error(response, status, code, field=None):
    assert response.status_code == status, response.json()
    body = response.json()
    assert body["code"] == code and body["message"]
    if field:
        assert body["errors"][0]["field"] == field
    return body


def test_amount_above_the_ceiling_is_400_and_nothing_changes(application, admin):
    url = f"/api/v1/applications/{application.id}/"
    body = _error(
        api_client(admin).patch(url, {"amount_requested": "600000"}, format="json"),
        400,
        "above_ceiling",
        "amount_requested",
    )
    assert "$600,000.00" in body["message"] and "$550,000.00" in body["message"]
    application.refresh_from_db()
    assert application.amount_requested is None and application.revision == 1


def test_match_below_the_schedule_is_400(application, admin):
    flow.fill(application, admin)
    low = [{**line, "match_amount": "10000"} for line in flow.BUDGET]
    url = f"/api/v1/applications/{application.id}/budget/"
    body = _error(api_client(admin).put(url, {"years": low}, format="json"), 400, "match_below_schedule", "budget")
    assert "Year 1" in body["message"] and "Year 3" in body["message"]
    assert list(BudgetYear.objects.values_list("match_amount", flat=True)) == [
        Decimal("45000.00"),
        Decimal("45000.00"),
        Decimal("120000.00"),
    ]


def test_wrong_document_and_wrong_co_applicant_are_400(application, admin, bja):
    url = f"/api/v1/applications/{application.id}/"
    upload = {"file": SimpleUploadedFile("mou.png", flow.PNG), "kind": "memorandum_or_letter_of_intent"}
    _error(api_client(admin).post(url + "documents/", upload), 400, "document_type", "file")
    _error(
        api_client(admin).post(url + "co-applicants/", {"organization": bja.id}, format="json"),
        400,
        "co_applicant_kind",
        "organization",
    )


def test_a_late_submission_is_409_with_the_deadline(application, admin, bh_admin):
    flow.prepare(application, admin, bh_admin)
    late = application.solicitation.justgrants_deadline + timedelta(seconds=1)
    with time_machine.travel(late, tick=False):
        response = api_client(admin).post(f"/api/v1/applications/{application.id}/submit/", {}, format="json")
    body = _error(response, 409, "deadline_passed")
    assert "The JustGrants deadline was " in body["message"]
    assert flow.fresh(application).case.stage == "draft"


def test_scoring_out_of_range_or_before_declaring_is_refused(in_peer_review, grant_manager, reviewer):
    services.reviewer_assign(application=in_peer_review, reviewer=reviewer, actor=grant_manager)
    url = f"/api/v1/applications/{in_peer_review.id}/"
    criteria = list(in_peer_review.solicitation.criteria.all())
    scores = {str(c.id): {"score": "5"} for c in criteria}
    _error(api_client(reviewer).post(url + "review/", {"scores": scores}, format="json"), 409, "conflict_not_declared")
    api_client(reviewer).post(url + "declaration/", {"no_conflict": True}, format="json")
    scores[str(criteria[0].id)] = {"score": "21"}
    body = _error(
        api_client(reviewer).post(url + "review/", {"scores": scores}, format="json"),
        400,
        "score_out_of_range",
        f"scores.{criteria[0].id}",
    )
    assert "from 0 to 20" in body["message"]
    assert not ReviewScore.objects.exists()


def test_a_conflicted_reviewer_is_refused(in_peer_review, grant_manager, organization):
    conflicted = factories.member_of(organization, "viewer")
    factories.MembershipFactory(
        user=conflicted, organization=grant_manager.memberships.get().organization, role="peer_reviewer"
    )
    url = f"/api/v1/applications/{in_peer_review.id}/reviewers/"
    body = _error(
        api_client(grant_manager).post(url, {"reviewer": conflicted.email}, format="json"),
        400,
        "conflict_of_interest",
        "reviewer",
    )
    assert "Springfield Police Department" in body["message"]


def test_criteria_weights_must_add_up_to_100(bja, grant_manager):
    client = api_client(grant_manager)
    created = client.post(
        "/api/v1/solicitations/",
        {
            "program": "jmhcp",
            "fiscal_year": 2028,
            "number": "O-BJA-2028-1",
            "title": "JMHCP",
            "grants_gov_deadline": "2028-04-20T23:59:59",
            "justgrants_deadline": "2028-04-27T20:59:59",
            "time_zone": "America/Chicago",
        },
        format="json",
    ).json()
    assert created["justgrants_deadline_text"] == "April 27, 2028, 8:59:59 PM CDT"
    base = f"/api/v1/solicitations/{created['id']}/"
    category = {
        "code": "1",
        "title": "Local",
        "award_ceiling": "550000",
        "period_months": 36,
        "match_schedule": [20, 20, 40],
    }
    _ok(client.post(base + "categories/", category, format="json"), 201)
    _error(client.post(base + "categories/", category, format="json"), 409, "duplicate")
    _ok(client.post(base + "criteria/", {"title": "Design", "weight": 60}, format="json"), 201)
    _error(client.post(base + "criteria/", {"title": "Budget", "weight": 50}, format="json"), 400, "weights_over_100")
    _error(client.post(base + "publish/", format="json"), 409, "weights_not_100")
    _ok(client.post(base + "criteria/", {"title": "Budget", "weight": 40}, format="json"), 201)
    assert _ok(client.post(base + "publish/", format="json"))["published_at"]
    _error(client.post(base + "criteria/", {"title": "More", "weight": 1}, format="json"), 409, "published")
    _error(client.patch(base, {"fiscal_year": 2029}, format="json"), 409, "published")
    moved = _ok(client.patch(base, {"justgrants_deadline": "2028-05-04T20:59:59"}, format="json"))
    assert moved["justgrants_deadline_text"] == "May 4, 2028, 8:59:59 PM CDT"


@pytest.mark.parametrize("schedule", [[20, 20, 40, 40], [100], ["x"]])
def test_a_match_schedule_is_whole_percents_for_the_project_years(solicitation, grant_manager, schedule):
    draft = services.solicitation_create(
        actor=grant_manager,
        agency=solicitation.agency,
        program="jmhcp",
        fiscal_year=2028,
        number="O-BJA-2028-7",
        title="JMHCP",
        grants_gov_deadline=solicitation.grants_gov_deadline,
        justgrants_deadline=solicitation.justgrants_deadline,
    )
    category = {"code": "1", "title": "Local", "award_ceiling": "1", "period_months": 36, "match_schedule": schedule}
    response = api_client(grant_manager).post(f"/api/v1/solicitations/{draft.id}/categories/", category, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"].startswith("match_schedule")


@pytest.mark.parametrize("report", ["ranking", "reviewers"])
def test_reports_built_in_python_are_counted_when_asked(in_peer_review, solicitation, grant_manager, reviewer, report):
    flow.review(in_peer_review, grant_manager, reviewer)
    url = f"/api/v1/solicitations/{solicitation.id}/{report}/"
    body = _ok(api_client(grant_manager).get(url + "?count=true"))
    assert body["count"] == len(body["results"]) == 1
