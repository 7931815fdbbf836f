"""Reasons and confirmations declared on the transition: the API, the confirmation page, and the event.

The sample machine's "abandon" needs a comment and a confirmation; "reopen" (of a lapsed request) a comment.
"""

from datetime import timedelta

from django.test import Client

from tests.helpers import Write, api_client, assert_access_rules
from workflow.clocks import clocks_sweep
from workflow.models import Case, Event

WATCHED = [Case, Event]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def transitions_url(case) -> str:
    return f"/api/v1/cases/{case.pk}/transitions/"


def test_the_api_lists_what_each_transition_needs(case, admin):
    listed = {row["name"]: row for row in api_client(admin).get(transitions_url(case)).json()}
    assert listed["abandon"]["comment_required"] is True and listed["abandon"]["confirm"] == "Abandoning is final."
    assert listed["withdraw"]["comment_required"] is False and listed["withdraw"]["confirm"] is None


def test_the_api_refuses_without_the_confirmation_or_the_comment_and_changes_nothing(case, admin):
    client = api_client(admin)
    events = Event.objects.filter(case=case).count()
    response = client.post(transitions_url(case), {"name": "abandon", "comment": "Not funded."}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "confirmation_required" and body["errors"][0]["field"] == "confirm"
    assert "Abandoning is final." in body["message"]
    response = client.post(transitions_url(case), {"name": "abandon", "confirm": True, "comment": "  "}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "comment"
    case.refresh_from_db()
    assert case.stage == "draft" and Event.objects.filter(case=case).count() == events

    response = client.post(
        transitions_url(case), {"name": "abandon", "comment": "Not funded.", "confirm": True}, format="json"
    )
    assert response.status_code == 200 and response.json()["stage"] == "withdrawn"
    event = Event.objects.filter(case=case, verb="transition").latest("id")
    assert event.data["comment"] == "Not funded." and event.actor == admin


def test_reopening_a_lapsed_request_needs_a_reason(submitted_case, grant_manager):
    clocks_sweep(now=submitted_case.opened_at + timedelta(days=31))
    client = api_client(grant_manager)
    response = client.post(transitions_url(submitted_case), {"name": "reopen"}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "comment"
    response = client.post(transitions_url(submitted_case), {"name": "reopen", "comment": "Reviewer found."})
    assert response.status_code == 200 and response.json()["stage"] == "submitted"


def test_the_case_page_sends_irreversible_steps_to_the_confirmation_page(case, admin):
    page = client_for(admin).get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/cases/{case.pk}/transitions/abandon/"' in page and ">Abandon…<" in page
    assert "You will be asked to confirm and to say why" in page


def test_the_confirmation_page_shows_the_sentence_and_fires_on_post(case, admin):
    url = f"/cases/{case.pk}/transitions/abandon/"
    client = client_for(admin)
    page = client.get(url).content.decode()
    assert "Abandoning is final." in page and "This cannot be undone" in page
    assert 'name="comment"' in page and 'name="confirm"' in page and "Reason (required" in page

    response = client.post(url, {"comment": "Not funded.", "expected_version": case.version})
    assert response.status_code == 400 and "Confirm that you mean it." in response.content.decode()
    response = client.post(url, {"confirm": "on", "expected_version": case.version})
    assert response.status_code == 400 and "needs a comment" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == "draft"

    response = client.post(url, {"comment": "Not funded.", "confirm": "on", "expected_version": case.version})
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    assert case.stage == "withdrawn"
    timeline = client.get(f"/cases/{case.pk}/").content.decode()
    assert "moved it from Draft to Withdrawn — Not funded." in timeline


def test_the_confirmation_page_outsider_404_viewer_cannot_write(case, outsider, viewer):
    url = f"/cases/{case.pk}/transitions/abandon/"
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(viewer).get(f"/cases/{case.pk}/transitions/nonsense/").status_code == 404
    assert_access_rules(
        read_url=f"/cases/{case.pk}/",
        writes=[Write("post", url, {"comment": "x", "confirm": "on"})],
        outsider=outsider,
        viewer=viewer,
        models=WATCHED,
        client_factory=client_for,
    )
