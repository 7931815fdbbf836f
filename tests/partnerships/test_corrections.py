"""Free text corrected by the organization that wrote it: an agreement's title, an assessment answer's note."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from config.errors import NotAllowed
from partnerships.models import Agreement
from partnerships.services.agreements import agreement_create
from partnerships.services.assessments import assessment_save, assessment_start
from partnerships.services.corrections import agreement_title_correct, assessment_note_correct
from tests.helpers import Write, api_client, assert_access_rules
from workflow.models import Event


@pytest.fixture
def agreement(partnership, admin, organization, bh_org):
    return agreement_create(
        partnership=partnership,
        actor=admin,
        kind="information_sharing",
        title="ISA re client John Smith",
        parties=[organization, bh_org],
        effective_date=date(2027, 1, 1),
    )


def test_the_authors_organization_corrects_an_agreement_title(agreement, member, bh_admin):
    corrected = agreement_title_correct(agreement=agreement, actor=member, title="Information sharing agreement")
    assert corrected.title == "Information sharing agreement"
    event = Event.objects.get(verb="agreement.corrected")
    assert event.actor == member and event.data["text"] == "Information sharing agreement"
    assert "John Smith" not in str(event.data), "the log keeps the correction, not what it removed"
    with pytest.raises(NotAllowed):
        agreement_title_correct(agreement=agreement, actor=bh_admin, title="Ours now")


def test_api_outsider_404_viewer_403_and_the_guard(agreement, admin, outsider, viewer):
    url = f"/api/v1/agreements/{agreement.pk}/"
    assert_access_rules(
        read_url=url,
        writes=[Write("post", url + "title/", {"title": "MOU"})],
        outsider=outsider,
        viewer=viewer,
        models=[Agreement, Event],
    )
    response = api_client(admin).post(
        url + "title/", {"title": "ISA re client John Smith DOB 03/14/1980"}, format="json"
    )
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "client_information"
    response = api_client(admin).post(url + "title/", {"title": "Information sharing agreement"}, format="json")
    assert response.status_code == 200 and response.json()["title"] == "Information sharing agreement"


def test_the_assessed_organization_corrects_a_note_even_after_submitting(partnership, bh_org, bh_admin, admin):
    assessment = assessment_start(partnership=partnership, organization=bh_org, actor=bh_admin)
    item = assessment.template.items.first()
    assessment_save(assessment=assessment, actor=bh_admin, answers={item.pk: {"answer": "yes", "note": "Typo"}})
    answer = assessment.answers.get(item=item)
    assessment_note_correct(answer=answer, actor=bh_admin, note="Weekly case conferences")
    answer.refresh_from_db()
    assert answer.note == "Weekly case conferences"
    assert Event.objects.filter(verb="assessment_answer.corrected", actor=bh_admin).exists()
    with pytest.raises(NotAllowed):
        assessment_note_correct(answer=answer, actor=admin, note="Not ours to change")
    url = f"/api/v1/assessments/{assessment.pk}/note/"
    response = api_client(bh_admin).post(url, {"item": item.pk, "note": "Monthly"}, format="json")
    assert response.status_code == 200, response.content
    assert api_client(admin).post(url, {"item": item.pk, "note": "x"}, format="json").status_code == 403


def test_page_outsider_404_viewer_403_and_correction(partnership, agreement, admin, outsider, viewer):
    url = f"/partnerships/{partnership.pk}/agreements/{agreement.pk}/title/"

    def client_for(user):
        client = Client()
        client.force_login(user)
        return client

    assert client_for(outsider).get(url).status_code == 404
    assert client_for(viewer).post(url, {"title": "MOU"}).status_code == 403
    response = client_for(admin).post(url, {"title": "ISA re client John Smith DOB 03/14/1980"})
    assert response.status_code == 400 and "a date of birth" in response.content.decode()
    assert client_for(admin).post(url, {"title": "Information sharing agreement"}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "Information sharing agreement"
