"""A draft solicitation's categories, criteria and itself can be changed or deleted; a published one is amended, and
the applicants with drafts are told."""

from __future__ import annotations

import pytest
from django.test import Client

from config.errors import Conflict, NotAllowed
from grants import services
from grants.models import Category, Criterion, Solicitation
from grants.services import solicitation_changes as changes
from reminders.models import Notification
from reminders.preferences import SOLICITATION_AMENDED_KIND
from tests.helpers import api_client
from workflow.models import Event


@pytest.fixture
def with_parts(draft_solicitation, grant_manager):
    category = services.category_add(
        solicitation=draft_solicitation,
        actor=grant_manager,
        code="1",
        title="Planning",
        award_ceiling="100000",
        period_months=24,
    )
    criterion = services.criterion_add(solicitation=draft_solicitation, actor=grant_manager, title="Need", weight=20)
    return draft_solicitation, category, criterion


def test_a_drafts_parts_are_edited_and_deleted(with_parts, grant_manager):
    solicitation, category, criterion = with_parts
    changes.category_update(solicitation=solicitation, category_id=category.pk, actor=grant_manager, title="Plan")
    changes.criterion_update(solicitation=solicitation, criterion_id=criterion.pk, actor=grant_manager, weight=30)
    assert Category.objects.get().title == "Plan" and Criterion.objects.get().weight == 30
    with pytest.raises(Conflict):
        changes.criterion_update(solicitation=solicitation, criterion_id=criterion.pk, actor=grant_manager, weight=101)
    changes.criterion_delete(solicitation=solicitation, criterion_id=criterion.pk, actor=grant_manager)
    changes.category_delete(solicitation=solicitation, category_id=category.pk, actor=grant_manager)
    assert not Criterion.objects.exists() and not Category.objects.exists()
    changes.solicitation_delete(solicitation=solicitation, actor=grant_manager)
    assert not Solicitation.objects.filter(pk=solicitation.pk).exists()


def test_only_the_agencys_grant_managers_and_only_drafts(with_parts, solicitation, grant_manager, bja_viewer):
    draft, category, _ = with_parts
    with pytest.raises(NotAllowed):
        changes.category_delete(solicitation=draft, category_id=category.pk, actor=bja_viewer)
    with pytest.raises(Conflict):
        changes.solicitation_delete(solicitation=solicitation, actor=grant_manager)
    published = solicitation.categories.first()
    with pytest.raises(Conflict):
        changes.category_delete(solicitation=solicitation, category_id=published.pk, actor=grant_manager)


def test_an_amendment_is_an_event_and_a_notice_to_the_applicants_with_drafts(application, grant_manager, admin):
    solicitation = application.solicitation
    services.solicitation_update(solicitation=solicitation, actor=grant_manager, summary="Budget rules clarified.")
    event = Event.objects.get(case=application.case, verb="solicitation.amended")
    assert event.actor == grant_manager and event.data["fields"] == ["summary"]
    notices = Notification.objects.filter(kind=SOLICITATION_AMENDED_KIND)
    assert admin in {notice.recipient for notice in notices}
    assert grant_manager not in {notice.recipient for notice in notices}
    assert all(solicitation.number in notice.subject for notice in notices)


def test_api_delete_and_edit_outsider_404_viewer_403(with_parts, grant_manager, outsider, bja_viewer):
    solicitation, category, criterion = with_parts
    base = f"/api/v1/solicitations/{solicitation.pk}/"
    assert api_client(outsider).delete(base).status_code == 404
    assert api_client(outsider).delete(f"{base}criteria/{criterion.pk}/").status_code == 404
    assert api_client(bja_viewer).delete(f"{base}criteria/{criterion.pk}/").status_code == 403
    assert api_client(bja_viewer).delete(base).status_code == 403
    response = api_client(grant_manager).patch(
        f"{base}categories/{category.pk}/", {"description": "Client John Smith DOB 03/14/1980"}, format="json"
    )
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "client_information"
    response = api_client(grant_manager).patch(f"{base}criteria/{criterion.pk}/", {"weight": 25}, format="json")
    assert response.status_code == 200 and response.json()["weight"] == 25
    assert api_client(grant_manager).delete(base).status_code == 204


def test_pages_delete_a_drafts_parts_and_the_draft(with_parts, grant_manager, outsider, bja_viewer):
    solicitation, category, criterion = with_parts
    base = f"/grants/solicitations/{solicitation.pk}/"
    outsider_client, viewer_client, manager = Client(), Client(), Client()
    outsider_client.force_login(outsider)
    viewer_client.force_login(bja_viewer)
    manager.force_login(grant_manager)
    assert outsider_client.post(base + "delete/").status_code == 404
    assert viewer_client.post(base + f"criteria/{criterion.pk}/delete/").status_code == 403
    assert "Delete this draft" in manager.get(base).content.decode()
    assert manager.post(base + f"criteria/{criterion.pk}/delete/").status_code == 302
    assert manager.post(base + f"categories/{category.pk}/delete/").status_code == 302
    assert manager.post(base + "delete/").status_code == 302
    assert not Solicitation.objects.filter(pk=solicitation.pk).exists()
