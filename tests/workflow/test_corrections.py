"""A milestone's evidence note is corrected by the organization that submitted it; each change is an event."""

from __future__ import annotations

import pytest
from django.test import Client

from config.errors import NotAllowed, ServiceError
from tests.helpers import Write, api_client, assert_access_rules
from workflow import checklists
from workflow.corrections import milestone_note_correct
from workflow.models import Event, Milestone


@pytest.fixture
def submitted_milestone(case, member):
    milestone = Milestone.objects.filter(case=case, needs_bja_approval=False, joint=False).first()
    return checklists.milestone_submit(milestone=milestone, actor=member, note="Met with Mr. Jones, Dx PTSD")


def test_the_submitters_organization_corrects_the_note(submitted_milestone, admin, partner):
    corrected = milestone_note_correct(milestone=submitted_milestone, actor=admin, note="Met with the county")
    assert corrected.note == "Met with the county"
    event = Event.objects.get(verb="milestone.corrected")
    assert event.actor == admin and event.data == {
        "milestone": submitted_milestone.pk,
        "field": "note",
        "text": "Met with the county",
    }
    with pytest.raises(NotAllowed):
        milestone_note_correct(milestone=submitted_milestone, actor=partner, note="Ours")


def test_nothing_to_correct_before_a_submission(case, admin):
    open_milestone = Milestone.objects.filter(case=case, submitted_by__isnull=True).first()
    with pytest.raises(ServiceError):
        milestone_note_correct(milestone=open_milestone, actor=admin, note="x")


def test_api_outsider_404_viewer_403_and_the_guard(submitted_milestone, admin, outsider, viewer):
    url = f"/api/v1/milestones/{submitted_milestone.pk}/"
    assert_access_rules(
        read_url=url,
        writes=[Write("post", url + "note/", {"note": "Done"})],
        outsider=outsider,
        viewer=viewer,
        models=[Milestone, Event],
    )
    response = api_client(admin).post(url + "note/", {"note": "Patient Robert Brown has schizophrenia"}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "client_information"
    response = api_client(admin).post(url + "note/", {"note": "Done with the county"}, format="json")
    assert response.status_code == 200 and response.json()["note"] == "Done with the county"


def test_page_outsider_404_viewer_403_and_correction(case, submitted_milestone, admin, outsider, viewer):
    url = f"/cases/{case.pk}/milestones/{submitted_milestone.pk}/note/"

    def client_for(user):
        client = Client()
        client.force_login(user)
        return client

    assert client_for(outsider).get(url).status_code == 404
    assert client_for(viewer).post(url, {"note": "Done"}).status_code == 403
    page = client_for(admin).get(url)
    assert page.status_code == 200 and "Mr. Jones" in page.content.decode()
    response = client_for(admin).post(url, {"note": "DOB 03/14/1980"})
    assert response.status_code == 400 and "a date of birth" in response.content.decode()
    assert client_for(admin).post(url, {"note": "Done with the county"}).status_code == 302
    submitted_milestone.refresh_from_db()
    assert submitted_milestone.note == "Done with the county"
