"""An application's attachments come in through the application only: a kind the solicitation asks for, a file
type that kind accepts, a draft. The generic upload (API and case page) checks none of that, so for an application
case it answers 409 `domain_documents`, naming the application's own way; an award's documents have no path of
their own and still come in through it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.errors import Conflict
from grants.models import Application
from tests.grants import award_flow, flow
from tests.grants.test_attachment_withdrawal import page_client
from tests.helpers import api_client, assert_access_rules
from tests.workflow.test_pages import Upload
from workflow import documents
from workflow.models import Document, Event

WATCHED = [Document, Event, Application]
# A PNG: the generic upload takes it, the program narrative does not (PDF or Word).
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def png(name: str = "narrative.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG)


def _snapshot():
    return [list(model.objects.order_by("pk").values()) for model in WATCHED]


def test_the_generic_api_sends_an_application_upload_to_the_application(application, admin):
    url = f"/api/v1/cases/{application.case_id}/documents/"
    before = _snapshot()
    response = api_client(admin).post(url, {"file": png(), "kind": "program_narrative", "visibility": "all"})
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "domain_documents"
    assert "“Attach a document” on its page" in body["message"]
    assert "/api/v1/applications/{id}/documents/" in body["message"]
    response = api_client(admin).post(url, {})
    assert response.status_code == 409, "refused before the input is read: no “file required” first"
    assert _snapshot() == before, "nothing was written"


def test_not_after_submission_either(application, admin, bh_admin):
    submitted = flow.submit(application, admin, bh_admin)
    response = api_client(admin).post(f"/api/v1/cases/{submitted.case_id}/documents/", {"file": flow.pdf("late.pdf")})
    assert response.status_code == 409 and response.json()["code"] == "domain_documents"
    assert not Document.objects.filter(case=submitted.case, original_name="late.pdf").exists()


def test_the_service_refuses_it_too_and_the_application_path_still_takes_it(application, admin):
    with pytest.raises(Conflict) as refused:
        documents.document_upload(case=application.case, actor=admin, upload=flow.pdf("narrative.pdf"))
    assert refused.value.code == "domain_documents"
    response = api_client(admin).post(
        f"/api/v1/applications/{application.pk}/documents/", {"file": png(), "kind": "program_narrative"}
    )
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "document_type", "its own rules"
    response = api_client(admin).post(
        f"/api/v1/applications/{application.pk}/documents/",
        {"file": flow.pdf("narrative.pdf"), "kind": "program_narrative"},
    )
    assert response.status_code == 201, response.content


def test_generic_upload_outsider_gets_404_and_viewer_cannot_write(application, outsider, viewer):
    for client_factory, base in ((api_client, "/api/v1/cases/"), (page_client, "/cases/")):
        url = f"{base}{application.case_id}/"
        assert_access_rules(
            read_url=url,
            writes=[Upload("post", f"{url}documents/", {"kind": "other", "visibility": "all"})],
            outsider=outsider,
            viewer=viewer,
            models=WATCHED,
            client_factory=client_factory,
        )


def test_the_case_page_offers_no_generic_upload_and_refuses_one(application, admin):
    url = f"/cases/{application.case_id}/"
    form_action = f'action="{url}documents/"'
    for page in (url, f"/grants/applications/{application.pk}/"):
        html = page_client(admin).get(page).content.decode()
        assert form_action not in html and "Upload a document" not in html, page
    assert "Attach a document" in page_client(admin).get(f"/grants/applications/{application.pk}/").content.decode()
    before = _snapshot()
    response = page_client(admin).post(f"{url}documents/", {"file": png(), "kind": "other", "visibility": "all"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "“Attach a document” on its page" in html
    assert f'href="{application.case.get_absolute_url()}"' in html, "back to the application's page"
    assert _snapshot() == before


def test_an_award_has_no_upload_of_its_own_so_the_generic_one_takes_its_documents(award, admin):
    """An award's reports and modifications take no files: its documents (a signed report, a budget) come in
    through the case's documents, and nothing refuses them."""
    award = award_flow.accept(award, admin)
    url = f"/cases/{award.case_id}/"
    assert f'action="{url}documents/"' in page_client(admin).get(url).content.decode()
    response = api_client(admin).post(f"/api/v1/cases/{award.case_id}/documents/", {"file": png("sf425.png")})
    assert response.status_code == 201, response.content
    response = page_client(admin).post(
        f"{url}documents/", {"file": flow.pdf("progress.pdf"), "kind": "report", "visibility": "all"}
    )
    assert response.status_code == 302
    assert set(Document.objects.filter(case=award.case).values_list("original_name", flat=True)) >= {
        "sf425.png",
        "progress.pdf",
    }


def test_the_award_page_lists_its_documents_and_offers_the_upload(award, admin, bh_member):
    """The award's own page shows the case's documents (before, only /cases/<id>/ did, and nothing linked there)."""
    award = award_flow.accept(award, admin)
    api_client(admin).post(f"/api/v1/cases/{award.case_id}/documents/", {"file": png("signed-sf425.png")})
    page = page_client(admin).get(award.get_absolute_url()).content.decode()
    assert "signed-sf425.png" in page
    assert f'action="/cases/{award.case_id}/documents/"' in page
    assert "signed-sf425.png" in page_client(bh_member).get(award.get_absolute_url()).content.decode()
