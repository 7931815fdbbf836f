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
    # Every field of a category, checked as when it was added (a 24-month project has two years of match).
    url = f"{base}categories/{category.pk}/"
    response = api_client(grant_manager).patch(url, {"match_schedule": [20, 20, 40]}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "match_schedule"
    response = api_client(grant_manager).patch(url, {"match_schedule": [20, 40]}, format="json")
    assert response.status_code == 200 and response.json()["match_schedule"] == [20, 40]
    response = api_client(grant_manager).patch(f"{base}criteria/{criterion.pk}/", {"weight": 25}, format="json")
    assert response.status_code == 200 and response.json()["weight"] == 25
    assert api_client(grant_manager).delete(base).status_code == 204


def page_clients(*users) -> list[Client]:
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def test_delete_pages_confirm_first(with_parts, grant_manager, outsider, bja_viewer):
    solicitation, category, criterion = with_parts
    base = f"/grants/solicitations/{solicitation.pk}/"
    outsider_client, viewer_client, manager = page_clients(outsider, bja_viewer, grant_manager)
    page = manager.get(base).content.decode()
    # Links to the confirmation pages, not buttons that delete.
    for url in (f"{base}delete/", f"{base}categories/{category.pk}/delete/", f"{base}criteria/{criterion.pk}/delete/"):
        assert f'href="{url}"' in page and f'action="{url}"' not in page
        assert outsider_client.get(url).status_code == 404
        assert outsider_client.post(url).status_code == 404
        assert viewer_client.get(url).status_code == 403
        assert viewer_client.post(url).status_code == 403
    assert Category.objects.filter(pk=category.pk).exists() and Criterion.objects.filter(pk=criterion.pk).exists()

    confirm = manager.get(f"{base}criteria/{criterion.pk}/delete/")
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "This cannot be undone" in text and "A deleted criterion cannot be brought back" in text
    assert Criterion.objects.filter(pk=criterion.pk).exists(), "showing the page deletes nothing"
    response = manager.post(f"{base}criteria/{criterion.pk}/delete/")
    assert response.status_code == 302 and response["Location"].endswith("#criteria")
    assert manager.post(f"{base}categories/{category.pk}/delete/").status_code == 302
    assert "A deleted draft cannot be brought back" in manager.get(f"{base}delete/").content.decode()
    assert manager.post(f"{base}delete/").status_code == 302
    assert not Solicitation.objects.filter(pk=solicitation.pk).exists()


def test_a_published_solicitations_parts_have_no_delete_page(solicitation, grant_manager):
    (manager,) = page_clients(grant_manager)
    category = solicitation.categories.first()
    page = manager.get(f"/grants/solicitations/{solicitation.pk}/").content.decode()
    assert "Delete<span" not in page and "are fixed now that it is published" in page
    response = manager.get(f"/grants/solicitations/{solicitation.pk}/categories/{category.pk}/delete/")
    assert response.status_code == 409 and "the solicitation is published" in response.content.decode()
    assert manager.post(f"/grants/solicitations/{solicitation.pk}/delete/").status_code == 409
    assert Solicitation.objects.filter(pk=solicitation.pk).exists()


def test_edit_pages_of_a_drafts_category_and_criterion(with_parts, grant_manager, outsider, bja_viewer):
    solicitation, category, criterion = with_parts
    base = f"/grants/solicitations/{solicitation.pk}/"
    outsider_client, viewer_client, manager = page_clients(outsider, bja_viewer, grant_manager)
    category_url, criterion_url = f"{base}categories/{category.pk}/edit/", f"{base}criteria/{criterion.pk}/edit/"
    for url in (category_url, criterion_url):
        assert f'href="{url}"' in manager.get(base).content.decode()
        assert outsider_client.get(url).status_code == 404
        assert viewer_client.get(url).status_code == 403
        assert viewer_client.post(url, {"title": "Changed"}).status_code == 403
    page = manager.get(category_url).content.decode()
    assert 'value="Planning"' in page and 'value="100000.00"' in page, "the form starts from the category"

    fields = {"code": "1", "title": "Planning and implementation", "award_ceiling": "150000", "period_months": "36"}
    refused = manager.post(category_url, fields | {"description": "Client John Smith DOB 03/14/1980"})
    assert refused.status_code == 400 and "a date of birth" in refused.content.decode()
    too_long = manager.post(
        category_url, fields | {"planning_required": "on", "planning_cap": "1", "planning_months": "40"}
    )
    assert too_long.status_code == 400 and "cannot be longer than the period" in too_long.content.decode()
    assert Category.objects.get(pk=category.pk).title == "Planning", "a refused edit changes nothing"
    saved = manager.post(category_url, fields | {"match_schedule": "20, 20, 40"})
    assert saved.status_code == 302 and saved["Location"].endswith("#categories")
    category.refresh_from_db()
    assert (category.title, category.award_ceiling, category.match_schedule) == (fields["title"], 150000, [20, 20, 40])

    over = manager.post(criterion_url, {"title": "Need", "weight": "101"})
    assert over.status_code == 400 and "add up to 100 at most" in over.content.decode()
    assert manager.post(criterion_url, {"title": "Statement of need", "weight": "40"}).status_code == 302
    criterion.refresh_from_db()
    assert (criterion.title, criterion.weight) == ("Statement of need", 40)


def test_the_edit_page_of_a_published_solicitation_is_an_amendment(application, grant_manager, bja_viewer):
    solicitation = application.solicitation
    # Deadlines to the second, as a person types them: the page shows no fraction of a second.
    for name in ("grants_gov_deadline", "justgrants_deadline"):
        setattr(solicitation, name, getattr(solicitation, name).replace(microsecond=0))
    solicitation.save()
    url = f"/grants/solicitations/{solicitation.pk}/edit/"
    manager, viewer_client = page_clients(grant_manager, bja_viewer)
    assert viewer_client.get(url).status_code == 403
    page = manager.get(url).content.decode()
    assert "A change here is an amendment" in page and 'name="number"' not in page, "only what may still change"
    form = manager.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {
        name: value.strftime("%Y-%m-%dT%H:%M:%S") if hasattr(value, "strftime") else value
        for name, value in data.items()
    }
    assert manager.post(url, data | {"summary": "Budget rules clarified."}).status_code == 302
    event = Event.objects.filter(case=application.case, verb="solicitation.amended").get()
    assert event.data["fields"] == ["summary"], "unchanged deadlines are not announced as changed"
