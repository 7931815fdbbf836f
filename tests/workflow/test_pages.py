"""The case list and the case page: who sees what, the forms on the page, and their query counts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Role
from tests import factories
from tests.helpers import Write, assert_access_rules, assert_constant_queries
from tests.workflow import machines
from workflow import checklists, documents, services
from workflow.models import Case, Document, Event, Milestone, MilestoneSignoff, MilestoneStatus, Visibility
from workflow.templatetags.workflow_tags import countdown

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_of(user, url: str) -> str:
    response = client_for(user).get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def milestone(case: Case, title: str) -> Milestone:
    return Milestone.objects.get(case=case, title=title)


NARRATIVE, MOU, BUDGET = "Program narrative drafted", "MOU signed by both partners", "Budget reviewed by BJA"


class Upload(Write):
    """A multipart upload with a fresh file for every send (a file is read once)."""

    def send(self, client):
        data = {**self.data, "file": SimpleUploadedFile("narrative.pdf", PDF)}
        return client.post(self.url, data)


def test_pages_need_sign_in(case):
    for url in ("/cases/", f"/cases/{case.pk}/"):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_case_list_shows_the_cases_i_take_part_in(admin, outsider, case):
    page = page_of(admin, "/cases/")
    assert f'href="/cases/{case.pk}/"' in page
    assert "Sample request" in page and "Draft" in page and "Springfield Police Department" in page
    assert '<th scope="col">Lead organization</th>' in page
    assert case.title not in page_of(outsider, "/cases/")


def test_case_list_filters_by_kind_and_stage_with_a_plain_form(admin, organization, case):
    withdrawn = services.case_create(kind=machines.KIND, title="Old request", organization=organization, actor=admin)
    services.case_transition(case=withdrawn, name="withdraw", actor=admin)

    page = page_of(admin, f"/cases/?kind={machines.KIND}&stage=withdrawn")
    assert "Old request" in page and case.title not in page
    page = page_of(admin, "/cases/?stage=draft")
    assert case.title in page and "Old request" not in page
    page = page_of(admin, "/cases/?stage=no_such_stage")
    assert 'id="id_stage-error"' in page


def test_case_list_pages_by_25(admin, organization):
    for number in range(30):
        services.case_create(kind=machines.KIND, title=f"Request {number:02}", organization=organization, actor=admin)
    first, second = page_of(admin, "/cases/"), page_of(admin, "/cases/?page=2")
    assert "30 cases" in first and "Request 29" in first and "Request 04" not in first
    assert 'aria-label="Page 2"' in first and "Request 04" in second and "Request 29" not in second


def test_outsider_gets_404_and_viewer_cannot_write(case, admin, member, outsider, viewer):
    narrative = milestone(case, NARRATIVE)
    checklists.milestone_submit(milestone=narrative, actor=member)
    document = documents.document_upload(case=case, actor=admin, upload=SimpleUploadedFile("a.pdf", PDF))
    base = f"/cases/{case.pk}"
    mou = milestone(case, MOU)
    writes = [
        Write("post", f"{base}/transitions/", {"name": "withdraw", "comment": "", "expected_version": case.version}),
        Write("post", f"{base}/transitions/", {"name": "submit"}),
        Write("post", f"{base}/milestones/{milestone(case, BUDGET).pk}/submit/", {"note": "done"}),
        Write("post", f"{base}/milestones/{narrative.pk}/approve/", {"comment": ""}),
        Write("post", f"{base}/milestones/{narrative.pk}/request-changes/", {"comment": "more"}),
        Write("post", f"{base}/milestones/{mou.pk}/sign-off/", {}),
        Upload("post", f"{base}/documents/", {"kind": "other", "visibility": Visibility.ALL}),
    ]
    assert_access_rules(
        read_url=f"{base}/",
        writes=writes,
        outsider=outsider,
        viewer=viewer,
        models=[Case, Milestone, MilestoneSignoff, Document, Event],
        client_factory=client_for,
    )
    assert client_for(outsider).get(f"{base}/documents/{document.pk}/").status_code == 404
    assert client_for(viewer).get(f"{base}/documents/{document.pk}/").status_code == 200
    page = page_of(viewer, f"{base}/")
    assert "Withdraw" not in page and "Upload a document" not in page and "Submit for approval" not in page


def test_admin_fires_a_transition_from_the_page(admin, case):
    page = page_of(admin, f"/cases/{case.pk}/")
    assert 'name="name" value="withdraw"' in page and f'name="expected_version" value="{case.version}"' in page

    response = client_for(admin).post(
        f"/cases/{case.pk}/transitions/",
        {"name": "withdraw", "comment": "Not applying <this> year", "expected_version": case.version},
        follow=True,
    )

    page = response.content.decode()
    assert response.redirect_chain == [(f"/cases/{case.pk}/", 302)]
    assert "The case moved to Withdrawn." in page
    assert "Ada Admin moved it from Draft to Withdrawn — Not applying &lt;this&gt; year" in page
    case.refresh_from_db()
    assert case.stage == "withdrawn" and case.closed_at is not None
    assert 'aria-current="step"' in page and "This case is closed" in page


def test_a_stale_page_cannot_move_the_case(admin, case):
    stale = case.version
    services.case_transition(case=case, name="withdraw", actor=admin)
    response = client_for(admin).post(
        f"/cases/{case.pk}/transitions/", {"name": "withdraw", "expected_version": stale}, follow=True
    )
    assert "The case changed since you loaded it" in response.content.decode()
    assert Event.objects.filter(case=case, verb="transition").count() == 1


def test_a_blocked_transition_is_a_disabled_button_with_its_reasons(admin, case):
    page = page_of(admin, f"/cases/{case.pk}/")
    assert 'disabled aria-describedby="transition-submit-reasons"' in page
    assert 'id="transition-submit-reasons"' in page
    assert "Every required preparation milestone must be approved." in page

    response = client_for(admin).post(f"/cases/{case.pk}/transitions/", {"name": "submit"}, follow=True)
    assert "Every required preparation milestone must be approved." in response.content.decode()
    case.refresh_from_db()
    assert case.stage == "draft"


def test_stage_bar_marks_done_and_current_stages(admin, grant_manager, case):
    page = page_of(admin, f"/cases/{case.pk}/")
    assert "usa-step-indicator" in page and 'Draft <span class="usa-sr-only">(current stage)' in page
    assert "Approved <span" not in page  # An ending is shown only once reached.


def test_milestone_is_submitted_then_approved_by_someone_else(admin, member, case):
    narrative = milestone(case, NARRATIVE)
    response = client_for(member).post(
        f"/cases/{case.pk}/milestones/{narrative.pk}/submit/", {"note": "Drafted with the clinic"}, follow=True
    )
    assert f"“{NARRATIVE}” was submitted for approval." in response.content.decode()
    assert f'action="/cases/{case.pk}/milestones/{narrative.pk}/approve/"' in page_of(admin, f"/cases/{case.pk}/")

    response = client_for(admin).post(f"/cases/{case.pk}/milestones/{narrative.pk}/approve/", {}, follow=True)

    page = response.content.decode()
    assert f"“{NARRATIVE}” was approved." in page
    assert "1 of 4 approved" in page and '<progress id="progress-1" max="4" value="1">' in page
    assert f"Max Member submitted “{NARRATIVE}” for approval — Drafted with the clinic" in page
    narrative.refresh_from_db()
    assert narrative.status == MilestoneStatus.APPROVED and narrative.decided_by == admin


def test_self_approval_is_refused_with_the_reason(admin, case):
    narrative = milestone(case, NARRATIVE)
    client_for(admin).post(f"/cases/{case.pk}/milestones/{narrative.pk}/submit/", {"note": "mine"})
    assert "You submitted this milestone; someone else must review it." in page_of(admin, f"/cases/{case.pk}/")

    response = client_for(admin).post(f"/cases/{case.pk}/milestones/{narrative.pk}/approve/", {})

    assert response.status_code == 403
    assert "You submitted this milestone; someone else must review it." in response.content.decode()
    narrative.refresh_from_db()
    assert narrative.status == MilestoneStatus.SUBMITTED


def test_bja_items_are_approved_by_the_grant_manager_only(admin, member, grant_manager, case):
    budget = milestone(case, BUDGET)
    checklists.milestone_submit(milestone=budget, actor=member)
    url = f"/cases/{case.pk}/milestones/{budget.pk}/approve/"
    assert f'action="{url}"' not in page_of(admin, f"/cases/{case.pk}/")
    assert f'action="{url}"' in page_of(grant_manager, f"/cases/{case.pk}/")

    refused = client_for(admin).post(url, {})
    assert refused.status_code == 403 and "Only a BJA reviewer" in refused.content.decode()
    assert client_for(grant_manager).post(url, {"comment": "Budget fits"}).status_code == 302
    budget.refresh_from_db()
    assert budget.status == MilestoneStatus.APPROVED and budget.reviewer_comment == "Budget fits"


def test_requesting_changes_needs_a_comment(admin, member, case):
    narrative = milestone(case, NARRATIVE)
    checklists.milestone_submit(milestone=narrative, actor=member)
    url = f"/cases/{case.pk}/milestones/{narrative.pk}/request-changes/"

    response = client_for(admin).post(url, {"comment": "  "}, follow=True)
    assert "Say what needs to change." in response.content.decode()
    narrative.refresh_from_db()
    assert narrative.status == MilestoneStatus.SUBMITTED

    response = client_for(admin).post(url, {"comment": "Add the crisis line hours"}, follow=True)
    page = response.content.decode()
    assert "Changes requested" in page and "Add the crisis line hours" in page
    assert "Submit again" in page_of(member, f"/cases/{case.pk}/")


def test_joint_item_shows_who_signed_and_who_is_awaited(admin, partner, case):
    mou = milestone(case, MOU)
    url = f"/cases/{case.pk}/milestones/{mou.pk}/sign-off/"
    assert "Sign off for Springfield Police Department" in page_of(admin, f"/cases/{case.pk}/")

    response = client_for(admin).post(url, follow=True)

    page = response.content.decode()
    assert f"You signed “{MOU}” for Springfield Police Department." in page
    assert "Signed by Springfield Police Department (Ada Admin," in page
    assert "Waiting for Prairie Behavioral Health." in page
    assert "Sign off for Springfield Police Department" not in page
    assert "Sign off for Prairie Behavioral Health" in page_of(partner, f"/cases/{case.pk}/")
    assert client_for(admin).post(url, follow=True).content.decode().count("Your organization has already signed.") == 1


def test_upload_a_pdf_and_download_it(admin, case):
    narrative = milestone(case, NARRATIVE)
    response = client_for(admin).post(
        f"/cases/{case.pk}/documents/",
        {
            "file": SimpleUploadedFile("narrative.pdf", PDF),
            "kind": "narrative",
            "visibility": Visibility.ALL,
            "milestone": narrative.pk,
        },
        follow=True,
    )

    page = response.content.decode()
    document = Document.objects.get(case=case)
    assert document.milestone == narrative and f"Evidence for “{NARRATIVE}”" in page
    assert "“narrative.pdf” was uploaded." in page and "Ada Admin uploaded “narrative.pdf”." in page
    assert f'href="/cases/{case.pk}/documents/{document.pk}/"' in page
    assert "Narrative" in page and ">PDF<" in page and "All participants" in page
    download = client_for(admin).get(f"/cases/{case.pk}/documents/{document.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="narrative.pdf"'
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


def test_an_executable_named_pdf_is_refused_next_to_the_file_field(admin, case, tmp_path):
    response = client_for(admin).post(
        f"/cases/{case.pk}/documents/",
        {"file": SimpleUploadedFile("report.pdf", ELF), "kind": "report", "visibility": Visibility.ALL},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert '<span class="usa-error-message" id="id_file-error" role="alert">' in page
    assert "The contents of “report.pdf” are not a PDF file." in page
    assert 'aria-describedby="id_file-hint id_file-error"' in page
    assert not Document.objects.exists()
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


def test_organization_only_documents_stay_in_the_organization(admin, member, partner, case):
    client_for(admin).post(
        f"/cases/{case.pk}/documents/",
        {"file": SimpleUploadedFile("budget-draft.pdf", PDF), "kind": "budget", "visibility": Visibility.ORGANIZATION},
    )
    document = Document.objects.get(case=case)

    assert "budget-draft.pdf" in page_of(member, f"/cases/{case.pk}/")
    partner_page = page_of(partner, f"/cases/{case.pk}/")
    assert "budget-draft.pdf" not in partner_page
    assert "Ada Admin uploaded a document that is not shared with you." in partner_page
    assert client_for(partner).get(f"/cases/{case.pk}/documents/{document.pk}/").status_code == 404


def test_a_document_is_downloaded_only_through_its_own_case(admin, organization, case):
    document = documents.document_upload(case=case, actor=admin, upload=SimpleUploadedFile("a.pdf", PDF))
    other = services.case_create(kind=machines.KIND, title="Other", organization=organization, actor=admin)
    assert client_for(admin).get(f"/cases/{other.pk}/documents/{document.pk}/").status_code == 404


def test_countdowns_use_the_readers_time_zone(admin, member, case):
    admin.time_zone, member.time_zone = "Pacific/Kiritimati", "Pacific/Pago_Pago"  # UTC+14 and UTC-11.
    admin.save(update_fields=["time_zone"])
    member.save(update_fields=["time_zone"])
    Milestone.objects.filter(pk=milestone(case, NARRATIVE).pk).update(due_date=date(2026, 3, 11))
    Milestone.objects.filter(pk=milestone(case, MOU).pk).update(due_date=date(2026, 3, 7))

    with time_machine.travel(datetime(2026, 3, 10, 12, 0, tzinfo=UTC), tick=False):
        kiritimati, pago_pago = page_of(admin, f"/cases/{case.pk}/"), page_of(member, f"/cases/{case.pk}/")

    assert "due today" in kiritimati and "4 days overdue" in kiritimati  # Already March 11 there.
    assert "due in 1 day" in pago_pago and "3 days overdue" in pago_pago  # Still March 10 there.


@pytest.mark.parametrize(
    "due, expected",
    [(date(2026, 3, 15), "due in 5 days"), (date(2026, 3, 10), "due today"), (date(2026, 3, 7), "3 days overdue")],
)
def test_countdown_wording(due, expected):
    assert countdown(due, date(2026, 3, 10)) == expected


def test_case_list_queries_do_not_grow_with_cases(admin, organization):
    client = client_for(admin)

    def grow(count: int) -> None:
        for number in range(count):
            services.case_create(kind=machines.KIND, title=f"Case {number}", organization=organization, actor=admin)

    assert_constant_queries(request=lambda: client.get("/cases/"), grow=grow)


def test_case_page_queries_do_not_grow_with_the_timeline(admin, partner, case):
    client = client_for(admin)
    narrative = milestone(case, NARRATIVE)
    checklists.milestone_sign_off(milestone=milestone(case, MOU), actor=partner)
    documents.document_upload(case=case, actor=admin, upload=SimpleUploadedFile("a.pdf", PDF))
    verbs = [
        ("transition", {"name": "withdraw", "from": "draft", "to": "withdrawn", "comment": "why"}),
        ("milestone.submitted", {"milestone": narrative.pk, "title": narrative.title, "note": "n"}),
        ("document.uploaded", {"document": 0, "name": "x.pdf"}),
        ("participant.added", {"organization": "Somewhere", "role": "partner"}),
    ]

    def grow(count: int) -> None:
        for number in range(count):
            verb, data = verbs[number % len(verbs)]
            services.event_record(case=case, actor=[admin, partner][number % 2], verb=verb, data=data)

    assert_constant_queries(request=lambda: client.get(f"/cases/{case.pk}/"), grow=grow)


def test_a_member_of_a_partner_with_no_edit_right_sees_no_forms(partner_org, case):
    partner_viewer = factories.member_of(partner_org, Role.VIEWER)
    page = page_of(partner_viewer, f"/cases/{case.pk}/")
    assert "Sign off for" not in page and '<form method="post" action="/cases/' not in page
