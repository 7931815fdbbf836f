"""Every grants endpoint: an outsider gets 404 and a viewer cannot write, and a refused write changes nothing."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from grants import services
from grants.models import (
    Application,
    ApplicationSignoff,
    BudgetYear,
    Category,
    CompletenessReview,
    Criterion,
    Decision,
    ReviewAssignment,
    ReviewScore,
    Solicitation,
)
from tests import factories
from tests.grants import flow
from tests.helpers import Write, api_client, assert_access_rules
from workflow.models import Case, CaseUserPermission, Document, Event, Participant

WATCHED = [
    Solicitation,
    Category,
    Criterion,
    Application,
    BudgetYear,
    ApplicationSignoff,
    CompletenessReview,
    ReviewAssignment,
    ReviewScore,
    Decision,
    Case,
    Participant,
    Event,
    Document,
    CaseUserPermission,
]


def _application_writes(application, reviewer, partner_org):
    base = f"/api/v1/applications/{application.id}/"
    scores = {str(c.id): {"score": "1"} for c in application.solicitation.criteria.all()}
    return [
        Write("patch", base, {"abstract": "Changed"}),
        Write("put", base + "budget/", {"years": flow.BUDGET}),
        Write("post", base + "co-applicants/", {"organization": partner_org.id}),
        Write("post", base + "sign/"),
        Write("post", base + "grants-gov/"),
        Write("post", base + "submit/", {"comment": "Go"}),
        Write("post", base + "completeness/", {"complete": True}),
        Write("post", base + "reviewers/", {"reviewer": reviewer.email}),
        Write("post", base + "declaration/", {"no_conflict": True}),
        Write("post", base + "review/", {"scores": scores}),
        Write("post", base + "decision/", {"outcome": "awarded", "amount": "1"}),
    ]


def test_application_endpoints_outsider_404_viewer_403(application, admin, outsider, viewer, reviewer, bh_org):
    flow.fill(application, admin)
    county = factories.OrganizationFactory(name="Sangamon County", kind="government")
    base = f"/api/v1/applications/{application.id}/"
    for read in ["", "readiness/", "reviews/"]:
        assert_access_rules(read_url=base + read, writes=[], outsider=outsider, viewer=viewer, models=WATCHED)
    assert_access_rules(
        read_url=base,
        writes=_application_writes(application, reviewer, county),
        outsider=outsider,
        viewer=viewer,
        models=WATCHED,
    )


def test_review_steps_outsider_404_viewer_403_in_peer_review(in_peer_review, outsider, viewer, reviewer, grant_manager):
    services.reviewer_assign(application=in_peer_review, reviewer=reviewer, actor=grant_manager)
    base = f"/api/v1/applications/{in_peer_review.id}/"
    assert_access_rules(
        read_url=base + "reviews/",
        writes=_application_writes(in_peer_review, reviewer, viewer.memberships.get().organization),
        outsider=outsider,
        viewer=viewer,
        models=WATCHED,
    )


def test_document_upload_outsider_404_viewer_403(application, outsider, viewer):
    url = f"/api/v1/applications/{application.id}/documents/"

    def upload():
        return {"file": SimpleUploadedFile("narrative.pdf", flow.PDF), "kind": "program_narrative"}

    assert api_client(outsider).post(url, upload()).status_code == 404
    assert api_client(viewer).post(url, upload()).status_code == 403
    assert not Document.objects.exists()


def test_score_summary_is_for_bja_staff(in_peer_review, outsider, bja_viewer, viewer):
    url = f"/api/v1/applications/{in_peer_review.id}/summary/"
    assert_access_rules(read_url=url, writes=[], outsider=outsider, viewer=bja_viewer, models=WATCHED)
    assert api_client(viewer).get(url).status_code == 403


def test_solicitation_endpoints_outsider_404_bja_viewer_403(draft_solicitation, outsider, bja_viewer):
    base = f"/api/v1/solicitations/{draft_solicitation.id}/"
    category = {"code": "1", "title": "Local", "award_ceiling": "550000", "period_months": 36, "match_schedule": [20]}
    assert_access_rules(
        read_url=base,
        writes=[
            Write("patch", base, {"title": "Changed"}),
            Write("post", base + "categories/", category),
            Write("post", base + "criteria/", {"title": "Budget", "weight": 10}),
            Write("post", base + "publish/"),
        ],
        outsider=outsider,
        viewer=bja_viewer,
        models=WATCHED,
    )


def test_reports_outsider_404_bja_viewer_reads_peer_reviewer_403(solicitation, outsider, bja_viewer, reviewer):
    base = f"/api/v1/solicitations/{solicitation.id}/"
    for report in ("stages/", "ranking/", "reviewers/"):
        assert_access_rules(read_url=base + report, writes=[], outsider=outsider, viewer=bja_viewer, models=WATCHED)
        assert api_client(reviewer).get(base + report).status_code == 403


def test_only_a_grant_manager_creates_solicitations(bja_viewer, outsider, grant_manager):
    body = {
        "program": "jmhcp",
        "fiscal_year": 2028,
        "number": "O-BJA-2028-000009",
        "title": "JMHCP",
        "grants_gov_deadline": "2028-04-20T23:59:59",
        "justgrants_deadline": "2028-04-27T20:59:59",
    }
    assert api_client(outsider).post("/api/v1/solicitations/", body, format="json").status_code == 403
    assert api_client(bja_viewer).post("/api/v1/solicitations/", body, format="json").status_code == 403
    assert not Solicitation.objects.exists()
    created = api_client(grant_manager).post("/api/v1/solicitations/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["justgrants_deadline_text"] == "April 27, 2028, 8:59:59 PM EDT"


def test_a_viewer_cannot_start_an_application(solicitation, organization, viewer):
    body = {"solicitation": solicitation.id, "organization": organization.id, "category": 0, "title": "x"}
    body["category"] = solicitation.categories.get().id
    assert api_client(viewer).post("/api/v1/applications/", body, format="json").status_code == 403
    assert not Application.objects.exists()


def test_drafts_are_hidden_from_other_organizations(draft_solicitation, solicitation, outsider, admin):
    ids = [row["id"] for row in api_client(outsider).get("/api/v1/solicitations/").json()["results"]]
    assert ids == [solicitation.id]
    peer = factories.member_of(draft_solicitation.agency, Role.PEER_REVIEWER)
    assert api_client(peer).get(f"/api/v1/solicitations/{draft_solicitation.id}/").status_code == 200
    assert Decimal(
        api_client(admin).get(f"/api/v1/solicitations/{solicitation.id}/").json()["categories"][0]["award_ceiling"]
    ) == Decimal("550000")
