"""A partnership has no upload of its own but for an agreement's signed file: its other documents come in through the
case's documents (API and the partnership page), which an application's stricter path does not close for it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.helpers import api_client
from tests.workflow.test_documents import PDF
from workflow.models import Document


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_generic_upload_takes_a_partnership_document(partnership, admin):
    case_id = partnership.case_id
    response = api_client(admin).post(
        f"/api/v1/cases/{case_id}/documents/",
        {"file": SimpleUploadedFile("roster.pdf", PDF), "kind": "other", "visibility": "all"},
    )
    assert response.status_code == 201, response.content
    client = Client()
    client.force_login(admin)
    page = client.get(f"/partnerships/{partnership.pk}/").content.decode()
    assert f'action="/cases/{case_id}/documents/"' in page and "Upload a document" in page
    response = client.post(
        f"/cases/{case_id}/documents/",
        {"file": SimpleUploadedFile("plan.pdf", PDF), "kind": "other", "visibility": "all"},
    )
    assert response.status_code == 302 and response["Location"] == f"/partnerships/{partnership.pk}/"
    assert set(Document.objects.filter(case_id=case_id).values_list("original_name", flat=True)) == {
        "roster.pdf",
        "plan.pdf",
    }
