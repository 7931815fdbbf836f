"""Undoing an upload: withdraw with a reason, replace with a new version, and site staff's redaction."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from config.errors import NotAllowed, NotFound, ServiceError
from tests import factories
from tests.helpers import Write, api_client, assert_access_rules
from workflow import document_changes, documents
from workflow.models import Document, Event
from workflow.redactions import MARKER

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF)


@pytest.fixture
def letters(case, member):
    return documents.document_upload(case=case, actor=member, upload=pdf("letters.pdf"))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_withdrawn_document_leaves_lists_and_downloads_but_staff_keep_it(case, member, partner, staff, letters):
    document_changes.document_withdraw(document=letters, actor=member, reason="Unsigned copy; use the signed one.")
    assert not Document.objects.visible_to(member).exists()
    assert not Document.objects.visible_to(partner).exists()
    assert list(Document.objects.readable_by(staff)) == [letters]
    with pytest.raises(NotFound):
        documents.document_get_for_user(user=partner, document_id=letters.pk)
    event = Event.objects.get(case=case, verb="document.withdrawn")
    assert event.actor == member
    assert event.data["reason"] == "Unsigned copy; use the signed one."
    assert event.data["name"] == "letters.pdf"
    page = client_for(partner).get(f"/cases/{case.pk}/").content.decode()
    assert "letters.pdf" not in page
    assert f"{member} withdrew a document — Unsigned copy; use the signed one." in page


def test_withdrawal_needs_a_reason_and_happens_once(member, letters):
    with pytest.raises(ServiceError) as error:
        document_changes.document_withdraw(document=letters, actor=member, reason="  ")
    assert error.value.field == "reason"
    document_changes.document_withdraw(document=letters, actor=member, reason="Superseded")
    # Withdrawn, it is out of the member's sight: there is nothing left to withdraw.
    with pytest.raises(NotFound):
        document_changes.document_withdraw(document=letters, actor=member, reason="Again")


def test_only_the_uploading_organization_withdraws(partner, viewer, outsider, letters):
    with pytest.raises(NotAllowed):
        document_changes.document_withdraw(document=letters, actor=partner, reason="Not ours")
    with pytest.raises(NotAllowed):
        document_changes.document_withdraw(document=letters, actor=viewer, reason="Viewer")
    with pytest.raises(NotFound):
        document_changes.document_withdraw(document=letters, actor=outsider, reason="Outsider")
    letters.refresh_from_db()
    assert letters.withdrawn_at is None


def test_replace_keeps_the_old_version_for_the_record(case, member, partner, letters):
    new = document_changes.document_replace(document=letters, actor=member, upload=pdf("letters_signed.pdf"))
    letters.refresh_from_db()
    assert letters.replaced_by == new and letters.withdrawn_by == member
    assert list(Document.objects.visible_to(partner)) == [new]
    assert new.kind == letters.kind and new.visibility == letters.visibility
    verbs = list(Event.objects.filter(case=case).values_list("verb", flat=True))
    assert verbs[-2:] == ["document.uploaded", "document.withdrawn"]
    page = client_for(partner).get(f"/cases/{case.pk}/").content.decode()
    assert "replaced a document with “letters_signed.pdf”" in page


def test_a_file_name_with_client_information_is_refused(case, member):
    with pytest.raises(ServiceError) as error:
        documents.document_upload(case=case, actor=member, upload=pdf("client_john_smith_dx_schizophrenia.pdf"))
    assert error.value.code == "client_information" and error.value.field == "file"
    assert "a diagnosis or treatment next to a person's name" in error.value.message
    assert not Document.objects.exists()


def test_staff_redact_a_document_the_bytes_and_name_go(
    case, member, outsider, staff, tmp_path, django_capture_on_commit_callbacks
):
    document = documents.document_upload(case=case, actor=member, upload=pdf("notes.pdf"))
    path = tmp_path / document.file.name
    assert Event.objects.get(case=case, verb="document.uploaded").data["name"] == "notes.pdf"
    assert path.exists()
    with pytest.raises(NotAllowed):
        document_changes.document_redact(document=document, actor=member)
    with pytest.raises(NotFound):
        document_changes.document_redact(document=document, actor=outsider)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(staff).post(f"/api/v1/documents/{document.pk}/redact/")
    assert response.status_code == 200, response.content
    document.refresh_from_db()
    assert document.original_name == "redacted.pdf" and document.redacted_by == staff
    assert document.withdrawn_at is not None
    assert not path.exists()
    event = Event.objects.get(case=case, verb="document.redacted")
    assert event.actor == staff and "notes" not in str(event.data)
    # The log's one exception: the upload's event no longer carries the name.
    assert Event.objects.get(case=case, verb="document.uploaded").data["name"] == MARKER
    assert not Document.objects.visible_to(member).exists()


def test_api_withdraw_and_replace(case, member, letters):
    client = api_client(member)
    response = client.post(f"/api/v1/documents/{letters.pk}/withdraw/", {"reason": ""}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "reason"
    response = client.post(
        f"/api/v1/documents/{letters.pk}/withdraw/", {"reason": "Client John Smith DOB 03/14/1980"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "reason",
        "code": "client_information",
        "message": response.json()["errors"][0]["message"],
    }
    response = client.post(
        f"/api/v1/documents/{letters.pk}/replace/", {"file": pdf("letters_signed.pdf"), "reason": "Signed"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["original_name"] == "letters_signed.pdf"
    assert client.get(f"/api/v1/documents/{letters.pk}/").status_code == 404
    assert client.get(f"/api/v1/documents/{letters.pk}/download/").status_code == 404


def test_api_outsider_gets_404_and_viewer_cannot_write(letters, outsider, viewer):
    base = f"/api/v1/documents/{letters.pk}"
    assert_access_rules(
        read_url=f"{base}/",
        writes=[Write("post", f"{base}/withdraw/", {"reason": "Superseded"}), Write("post", f"{base}/redact/")],
        outsider=outsider,
        viewer=viewer,
        models=[Document, Event],
    )
    response = api_client(viewer).post(f"{base}/replace/", {"file": pdf("v2.pdf")})
    assert response.status_code == 403


def test_pages_outsider_gets_404_and_viewer_cannot_write(case, letters, outsider, viewer):
    base = f"/cases/{case.pk}/documents/{letters.pk}"
    assert client_for(outsider).get(f"{base}/change/").status_code == 404
    assert client_for(outsider).post(f"{base}/change/", {"reason": "x"}).status_code == 404
    assert client_for(viewer).get(f"{base}/change/").status_code == 403, "refused before the form is shown"
    assert client_for(viewer).post(f"{base}/change/", {"reason": "Superseded"}).status_code == 403
    assert client_for(outsider).post(f"{base}/redact/").status_code == 404
    assert client_for(viewer).post(f"{base}/redact/").status_code == 403
    letters.refresh_from_db()
    assert letters.withdrawn_at is None


def test_the_change_page_is_offered_only_to_who_may_change_the_document(case, member, partner, viewer, letters):
    """The uploading organization's staff get the link and the page; a partner who works on the case too, or a
    viewer, get neither: the refusal page says why, already on GET. Once withdrawn, it is gone from both."""
    url = f"/cases/{case.pk}/documents/{letters.pk}/change/"
    assert f'href="{url}"' in client_for(member).get(f"/cases/{case.pk}/").content.decode()
    for user in (partner, viewer):
        assert url not in client_for(user).get(f"/cases/{case.pk}/").content.decode()
    refused = client_for(partner).get(url)
    assert refused.status_code == 403 and f"Only {letters.organization} can withdraw" in refused.content.decode()
    document_changes.document_withdraw(document=letters, actor=member, reason="Superseded")
    assert url not in client_for(member).get(f"/cases/{case.pk}/").content.decode()
    assert client_for(member).get(url).status_code == 404, "withdrawn: out of sight, nothing left to change"


def test_page_withdraws_and_replaces(case, member, letters):
    client = client_for(member)
    base = f"/cases/{case.pk}/documents/{letters.pk}"
    page = client.get(f"{base}/change/")
    assert page.status_code == 200 and "Withdraw or replace “letters.pdf”" in page.content.decode()
    response = client.post(f"{base}/change/", {"reason": ""})
    assert response.status_code == 400 and "Say why the document is withdrawn." in response.content.decode()
    response = client.post(f"{base}/change/", {"reason": "Old", "file": pdf("letters_signed.pdf")})
    assert response.status_code == 302
    assert Document.objects.get(withdrawn_at__isnull=True).original_name == "letters_signed.pdf"


def test_staff_confirm_a_document_redaction_on_its_page_with_a_reason(case, member, partner):
    site_staff = factories.UserFactory(is_staff=True, is_superuser=True, full_name="Stella Staff")
    document = documents.document_upload(case=case, actor=member, upload=pdf("client_notes.pdf"))
    url = f"/cases/{case.pk}/documents/{document.pk}/redact/"
    client = client_for(site_staff)
    assert f'href="{url}"' in client.get(f"/cases/{case.pk}/").content.decode()
    assert url not in client_for(member).get(f"/cases/{case.pk}/").content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "This cannot be undone" in page.content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    document.refresh_from_db()
    assert document.redacted_at is None, "nothing happens before the confirmation"
    response = client.post(url, {"reason": "The file named a client."})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.redacted_by == site_staff
    timeline = client_for(partner).get(f"/cases/{case.pk}/").content.decode()
    assert "Stella Staff redacted a document that carried client information — The file named a client." in timeline
    assert "client_notes" not in timeline
