"""Generic case endpoints: access on every one, transitions, milestones, documents, query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.helpers import Write, api_client, assert_access_rules, assert_constant_queries
from tests.workflow.test_documents import PDF
from workflow import documents, services
from workflow.models import Case, CaseUserPermission, Document, Event, Milestone, MilestoneSignoff

WATCHED = [Case, Milestone, MilestoneSignoff, Document, Event, CaseUserPermission]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def document(case, member):
    return documents.document_upload(case=case, actor=member, upload=SimpleUploadedFile("a.pdf", PDF))


def test_case_endpoints_outsider_404_viewer_cannot_write(case, outsider, viewer, document, peer_reviewer):
    base = f"/api/v1/cases/{case.id}/"
    milestone = Milestone.objects.filter(case=case).first()
    for read in ["", "participants/", "transitions/", "timeline/", "milestones/", "documents/"]:
        assert_access_rules(read_url=base + read, writes=[], outsider=outsider, viewer=viewer, models=WATCHED)
    assert_access_rules(
        read_url=base,
        writes=[
            Write("post", base + "transitions/", {"name": "withdraw"}),
            Write("post", base + "grants/", {"email": peer_reviewer.email, "permission": "review_case"}),
            Write("post", f"/api/v1/milestones/{milestone.id}/submit/", {"note": "x"}),
            Write("post", f"/api/v1/milestones/{milestone.id}/approve/", {}),
            Write("post", f"/api/v1/milestones/{milestone.id}/request-changes/", {"comment": "x"}),
        ],
        outsider=outsider,
        viewer=viewer,
        models=WATCHED,
    )
    assert_access_rules(
        read_url=f"/api/v1/milestones/{milestone.id}/", writes=[], outsider=outsider, viewer=viewer, models=WATCHED
    )
    assert_access_rules(
        read_url=f"/api/v1/documents/{document.id}/download/",
        writes=[],
        outsider=outsider,
        viewer=viewer,
        models=WATCHED,
    )


def test_viewer_upload_is_refused(case, viewer, outsider):
    url = f"/api/v1/cases/{case.id}/documents/"
    assert api_client(outsider).post(url, {"file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 404
    assert api_client(viewer).post(url, {"file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 403
    assert not Document.objects.exists()


def test_case_list_shows_only_visible_cases(case, partner, outsider):
    assert [row["id"] for row in api_client(partner).get("/api/v1/cases/").json()["results"]] == [case.id]
    assert api_client(outsider).get("/api/v1/cases/").json()["results"] == []


def test_available_transitions_explain_what_blocks(case, admin, viewer):
    rows = api_client(admin).get(f"/api/v1/cases/{case.id}/transitions/").json()
    by_name = {row["name"]: row for row in rows}
    assert by_name["submit"]["allowed"] is False
    assert by_name["submit"]["reasons"] == ["Every required preparation milestone must be approved."]
    assert by_name["withdraw"]["allowed"] is True
    assert api_client(viewer).get(f"/api/v1/cases/{case.id}/transitions/").json() == []


def test_fire_a_transition(case, admin):
    response = api_client(admin).post(
        f"/api/v1/cases/{case.id}/transitions/", {"name": "withdraw", "comment": "Not this year"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["stage"], response.json()["version"]) == ("withdrawn", 2)
    event = Event.objects.filter(case=case, verb="transition").get()
    assert event.data["comment"] == "Not this year" and event.actor == admin


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"name": "fly"}, 400, "unknown_transition"),
        ({"name": "start_review"}, 403, "not_allowed"),
        ({"name": "submit"}, 409, "guard_failed"),
        ({"name": "withdraw", "expected_version": 7}, 409, "stale"),
        ({}, 400, "invalid"),
    ],
)
def test_transition_errors_are_clear_and_write_nothing(case, admin, body, status, code):
    before = Event.objects.count()
    response = api_client(admin).post(f"/api/v1/cases/{case.id}/transitions/", body, format="json")
    assert response.status_code == status, response.json()
    assert response.json()["code"] == code and response.json()["message"]
    assert Event.objects.count() == before
    case.refresh_from_db()
    assert (case.stage, case.version) == ("draft", 1)


def test_wrong_stage_is_409(case, admin, grant_manager):
    response = api_client(grant_manager).post(
        f"/api/v1/cases/{case.id}/transitions/", {"name": "approve"}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "wrong_stage"


def test_milestone_flow_over_the_api(case, member, admin):
    milestone = Milestone.objects.get(case=case, title="Program narrative drafted")
    url = f"/api/v1/milestones/{milestone.id}/"
    assert api_client(member).post(url + "submit/", {"note": "Done"}, format="json").json()["status"] == "submitted"
    refused = api_client(member).post(url + "approve/", {}, format="json")
    assert refused.status_code == 403
    assert api_client(admin).post(url + "approve/", {}, format="json").json()["status"] == "approved"
    body = api_client(admin).get(f"/api/v1/cases/{case.id}/milestones/").json()
    assert body["progress"][0]["done"] == 1 and len(body["results"]) == 4


def test_self_approval_is_refused_with_a_code(case, admin):
    milestone = Milestone.objects.get(case=case, title="Program narrative drafted")
    api_client(admin).post(f"/api/v1/milestones/{milestone.id}/submit/", {}, format="json")
    response = api_client(admin).post(f"/api/v1/milestones/{milestone.id}/approve/", {}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "self_approval"


def test_upload_and_download(case, member):
    url = f"/api/v1/cases/{case.id}/documents/"
    created = api_client(member).post(url, {"file": SimpleUploadedFile("Narrative v2.pdf", PDF), "kind": "narrative"})
    assert created.status_code == 201, created.json()
    download = api_client(member).get(created.json()["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "name, content, code",
    [("report.pdf", b"\x7fELF\x02\x01" + b"\x00" * 64, "content_mismatch"), ("empty.pdf", b"", "empty_file")],
)
def test_bad_upload_is_400_with_the_reason(case, member, name, content, code):
    response = api_client(member).post(
        f"/api/v1/cases/{case.id}/documents/", {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["errors"][0]["field"] == "file"
    assert not Document.objects.exists()


def test_grant_a_peer_reviewer(case, grant_manager, peer_reviewer):
    url = f"/api/v1/cases/{case.id}/grants/"
    body = {"email": peer_reviewer.email, "permission": "review_case"}
    assert api_client(grant_manager).post(url, body, format="json").status_code == 201
    assert api_client(peer_reviewer).get(f"/api/v1/cases/{case.id}/").status_code == 200
    assert api_client(grant_manager).post(url + "revoke/", body, format="json").status_code == 204
    assert api_client(peer_reviewer).get(f"/api/v1/cases/{case.id}/").status_code == 404


def test_case_list_queries_constant(admin, organization, partner_org, bja):
    client = api_client(admin)

    def grow(n):
        for i in range(n):
            services.case_create(
                kind="sample_request",
                title=f"Case {i}",
                organization=organization,
                actor=admin,
                participants={partner_org: "co_applicant", bja: "reviewer"},
            )

    assert_constant_queries(request=lambda: client.get("/api/v1/cases/?page_size=100"), grow=grow)


def test_timeline_queries_constant(case, admin, member):
    client = api_client(admin)

    def grow(n):
        for i in range(n):
            services.event_record(case=case, actor=member if i % 2 else admin, verb="note", data={"i": i})

    assert_constant_queries(request=lambda: client.get(f"/api/v1/cases/{case.id}/timeline/?page_size=100"), grow=grow)


def test_timeline_is_in_time_order(case, admin):
    services.case_transition(case=case, name="withdraw", actor=admin)
    verbs = [row["verb"] for row in api_client(admin).get(f"/api/v1/cases/{case.id}/timeline/").json()["results"]]
    assert verbs == ["case.opened", "checklist.added", "transition"]


def test_every_failing_guard_is_its_own_error_entry(organization, admin, prep_template):
    lonely = services.case_create(kind="sample_request", title="No partner", organization=organization, actor=admin)
    response = api_client(admin).post(f"/api/v1/cases/{lonely.id}/transitions/", {"name": "submit"}, format="json")
    assert response.status_code == 409
    assert [error["message"] for error in response.json()["errors"]] == [
        "A co-applicant or partner organization must take part.",
        "Every required preparation milestone must be approved.",
    ]


def test_who_reviews_is_kept_from_the_applicants(case, grant_manager, peer_reviewer, partner, admin):
    services.case_grant(case=case, user=peer_reviewer, permission="review_case", actor=grant_manager)

    def verbs(user):
        return [row["verb"] for row in api_client(user).get(f"/api/v1/cases/{case.id}/timeline/").json()["results"]]

    assert "permission.granted" in verbs(grant_manager)
    assert "permission.granted" in verbs(peer_reviewer)
    assert "permission.granted" not in verbs(partner)
    assert "permission.granted" not in verbs(admin)


def test_the_timeline_costs_at_most_six_queries_with_a_token(case, admin):
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    from tests.helpers import count_queries

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(admin)[1]}")
    client.get(f"/api/v1/cases/{case.id}/timeline/")
    queries, sql, response = count_queries(lambda: client.get(f"/api/v1/cases/{case.id}/timeline/"))
    assert response.status_code == 200
    assert queries <= 6, "\n".join(sql)
