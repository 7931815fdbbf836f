"""The grants pages: outsiders get 404 and viewers 403 on every form, refusals are shown next to the field,
and the page shows each reader what they may see."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from grants import services
from grants.models import Application, ApplicationSignoff, BudgetYear, Decision, ReviewAssignment, Solicitation
from tests.grants import flow
from tests.helpers import Write, assert_access_rules
from workflow.models import Case, CaseUserPermission, Document, Event, Participant

WATCHED = [
    Solicitation,
    Application,
    BudgetYear,
    ApplicationSignoff,
    ReviewAssignment,
    Decision,
    Case,
    Participant,
    Event,
    Document,
    CaseUserPermission,
]


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_application_page_forms_outsider_404_viewer_403(in_peer_review, outsider, viewer, reviewer):
    base = f"/grants/applications/{in_peer_review.id}/"
    criteria = in_peer_review.solicitation.criteria.all()
    start = flow.project_start()
    writes = [
        Write(
            "post",
            base + "details/",
            {
                "title": "X",
                "category": in_peer_review.category_id,
                "abstract": "A",
                "amount_requested": "1",
                "project_start": start,
                "project_end": start,
            },
        ),
        Write("post", base + "budget/", {f"{part}_{year}": "1" for part in ("federal", "match") for year in (1, 2, 3)}),
        Write("post", base + "co-applicants/", {"organization": viewer.memberships.get().organization_id}),
        Write("post", base + "sign/"),
        Write("post", base + "grants-gov/"),
        Write("post", base + "submit/"),
        Write("post", f"/cases/{in_peer_review.case_id}/transitions/", {"name": "withdraw"}),  # the engine's door
        Write("post", base + "completeness/", {"finding": "complete"}),
        Write("post", base + "reviewers/", {"reviewer": reviewer.id}),
        Write("post", base + "declaration/", {"declaration": "no_conflict"}),
        Write("post", base + "review/", {f"score_{c.id}": "1" for c in criteria}),
        Write("post", base + "award/", {"amount": "1"}),
        Write("post", base + "not-funded/", {"conditions": "No"}),
    ]
    assert_access_rules(
        read_url=base, writes=writes, outsider=outsider, viewer=viewer, models=WATCHED, client_factory=page_client
    )


def test_attaching_on_the_page_outsider_404_viewer_403(application, outsider, viewer):
    url = f"/grants/applications/{application.id}/documents/"
    for user, status in ((outsider, 404), (viewer, 403)):
        upload = {"kind": "program_narrative", "file": SimpleUploadedFile("n.pdf", flow.PDF)}
        assert page_client(user).post(url, upload).status_code == status
    assert not Document.objects.exists()


def test_solicitation_page_forms_outsider_404_bja_viewer_403(draft_solicitation, outsider, bja_viewer):
    base = f"/grants/solicitations/{draft_solicitation.id}/"
    category = {"code": "1", "title": "Local", "award_ceiling": "550000", "period_months": "36", "match_schedule": "20"}
    writes = [
        Write("post", base + "categories/", {f"category-{name}": value for name, value in category.items()}),
        Write("post", base + "criteria/", {"criterion-title": "Design", "criterion-weight": "50"}),
        Write(
            "post",
            base + "deadlines/",
            {"grants_gov_deadline": "2028-04-21T23:59:59", "justgrants_deadline": "2028-04-28T20:59:59"},
        ),
        Write("post", base + "publish/"),
    ]
    assert_access_rules(
        read_url=base, writes=writes, outsider=outsider, viewer=bja_viewer, models=WATCHED, client_factory=page_client
    )


@pytest.mark.parametrize(
    "report",
    ["stages/", "ranking/", "reviewers/", "export/applications.csv", "export/ranking.xlsx", "export/reviewers.csv"],
)
def test_reports_and_exports_outsider_404_bja_viewer_reads_peer_reviewer_403(
    solicitation, outsider, bja_viewer, reviewer, report
):
    url = f"/grants/solicitations/{solicitation.id}/{report}"
    assert_access_rules(
        read_url=url, writes=[], outsider=outsider, viewer=bja_viewer, models=WATCHED, client_factory=page_client
    )
    assert page_client(reviewer).get(url).status_code == 403


def test_starting_an_application_needs_a_working_membership(solicitation, organization, viewer, outsider, admin):
    url = f"/grants/solicitations/{solicitation.id}/apply/"
    body = {"organization": organization.id, "category": solicitation.categories.get().id, "title": "Ours"}
    assert page_client(viewer).post(url, body).status_code == 403
    assert page_client(outsider).post(url, body).status_code == 403
    assert not Application.objects.exists()
    response = page_client(admin).post(url, body)
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == application.get_absolute_url()


def test_new_solicitation_page_is_for_grant_managers(grant_manager, bja_viewer):
    assert page_client(bja_viewer).get("/grants/solicitations/new/").status_code == 403
    response = page_client(grant_manager).post(
        "/grants/solicitations/new/",
        {
            "program": "jmhcp",
            "fiscal_year": "2028",
            "number": "O-BJA-2028-5",
            "title": "JMHCP",
            "time_zone": "America/Denver",
            "grants_gov_deadline": "2028-04-20T23:59:59",
            "justgrants_deadline": "2028-04-27T20:59:59",
            "eligible_lead_kinds": ["law_enforcement"],
            "required_document_kinds": ["program_narrative"],
            "review_period_days": "10",
        },
    )
    solicitation = Solicitation.objects.get()
    assert response.status_code == 302
    assert solicitation.justgrants_deadline.isoformat() == "2028-04-28T02:59:59+00:00"  # 8:59:59 PM MDT.


def test_a_refused_change_is_shown_next_to_its_field(application, admin):
    response = page_client(admin).post(
        f"/grants/applications/{application.id}/details/",
        {"title": "Ours", "category": application.category_id, "amount_requested": "600000"},
    )
    assert response.status_code == 400
    assert "above the award ceiling of category 1" in response.content.decode()
    application.refresh_from_db()
    assert application.amount_requested is None


def test_the_draft_page_shows_the_checklist_with_progress(application, admin):
    page = page_client(admin).get(application.get_absolute_url()).content.decode()
    assert '<progress id="readiness-progress" max="13" value="1">' in page  # Only the partners are in place.
    assert "Upload the MOU or letter of intent (PDF)." in page
    assert "Sign for Springfield Police Department" in page
    assert "closes in 16 days" in page  # 17 days from when the fixture ran, less a moment.


def test_reviewers_and_their_scores_stay_hidden_from_applicants(
    in_peer_review, grant_manager, reviewer, reviewer2, admin
):
    flow.review(in_peer_review, grant_manager, reviewer, Decimal("0.9"))
    services.reviewer_assign(application=in_peer_review, reviewer=reviewer2, actor=grant_manager)
    services.review_declare(application=in_peer_review, actor=reviewer2, no_conflict=True)
    applicant_page = page_client(admin).get(in_peer_review.get_absolute_url()).content.decode()
    assert "Victor Chen" not in applicant_page and "90.00" not in applicant_page
    assert "Solid." not in applicant_page
    second = page_client(reviewer2).get(in_peer_review.get_absolute_url()).content.decode()
    assert "Submit my review" in second and "Victor Chen" not in second and "90.00" not in second
    manager_page = page_client(grant_manager).get(in_peer_review.get_absolute_url()).content.decode()
    assert "Victor Chen" in manager_page and "90.00" in manager_page


def test_stage_chart_is_an_accessible_inline_svg(submitted, grant_manager):
    page = page_client(grant_manager).get(f"/grants/solicitations/{submitted.solicitation_id}/stages/").content
    page = page.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in page
    assert "1 application. Draft: 0, Submitted: 1" in page


def test_applicants_never_learn_who_reviews_them_through_the_generic_timeline(
    in_peer_review, admin, reviewer, grant_manager
):
    from tests.helpers import api_client

    flow.review(in_peer_review, grant_manager, reviewer)

    verbs = [
        e["verb"]
        for e in api_client(admin)
        .get(f"/api/v1/cases/{in_peer_review.case_id}/timeline/?page_size=100")
        .json()["results"]
    ]
    assert not [verb for verb in verbs if verb.startswith(("review.", "permission."))]
    assert in_peer_review.case.events.filter(verb__startswith="review.").exists(), "there were review events to hide"


def test_peer_reviewers_see_only_their_own_review_events_and_managers_see_all(
    in_peer_review, reviewer, reviewer2, grant_manager
):
    from tests.helpers import api_client

    flow.review(in_peer_review, grant_manager, reviewer)
    flow.review(in_peer_review, grant_manager, reviewer2)
    url = f"/api/v1/cases/{in_peer_review.case_id}/timeline/?page_size=100"

    def review_actors(user):
        events = api_client(user).get(url).json()["results"]
        return {event["actor"] for event in events if event["verb"] in ("review.declared", "review.submitted")}

    assert review_actors(reviewer) == {reviewer.pk}
    assert review_actors(reviewer2) == {reviewer2.pk}
    assert review_actors(grant_manager) == {reviewer.pk, reviewer2.pk}
    response = page_client(reviewer).get(f"/cases/{in_peer_review.case_id}/")
    assert response.status_code == 200
    assert "Victor Chen" in response.content.decode() and "Grace Adeyemi" not in response.content.decode()
