"""The case page, the notification list and the dashboard name the zone of every time they show."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.helpers import times_without_zone
from tests.workflow.test_documents import PDF
from workflow import checklists, documents
from workflow.models import Milestone


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _client(user, zone: str) -> Client:
    user.time_zone = zone
    user.save(update_fields=["time_zone"])
    client = Client()
    client.force_login(user)
    return client


def test_documents_sign_offs_and_the_timeline_carry_the_readers_zone(case, member, admin, partner):
    documents.document_upload(case=case, actor=member, upload=SimpleUploadedFile("a.pdf", PDF))
    mou = Milestone.objects.get(case=case, title="MOU signed by both partners")
    checklists.milestone_submit(milestone=mou, actor=member)
    checklists.milestone_sign_off(milestone=mou, actor=member)

    for user, zone, name in ((partner, "Pacific/Honolulu", "HST"), (member, "America/Anchorage", "AKST")):
        client = _client(user, zone)
        for url in (f"/cases/{case.id}/", "/notifications/", "/", "/cases/"):
            html = client.get(url).content.decode()
            assert times_without_zone(html) == [], (url, times_without_zone(html))
        case_page = client.get(f"/cases/{case.id}/").content.decode()
        assert f" {name}</time>" in case_page
