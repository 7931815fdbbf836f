"""Site staff redact free text that carried client information: the original goes from the row, from the earlier
events that carried it and from the notifications that quoted it; an event says who redacted it and why."""

from __future__ import annotations

import pytest
from django.db import Error as DatabaseError
from django.db import connection, transaction

from config.errors import Conflict, NotAllowed, NotFound, ServiceError
from reminders.models import Notification
from tests.helpers import api_client
from tests.helpers import signed_in as client_for
from workflow import checklists, redactions
from workflow.corrections import milestone_note_correct
from workflow.models import Event, Milestone
from workflow.redactions import MARKER, text_redact

CLIENT_NOTE = "Met with Mr. Jones, Dx PTSD"
REASON = "The note named a client and a diagnosis."


@pytest.fixture
def submitted(case, member):
    milestone = Milestone.objects.filter(case=case, needs_bja_approval=False, joint=False).first()
    return checklists.milestone_submit(milestone=milestone, actor=member, note=CLIENT_NOTE)


def redact(milestone, actor, reason=REASON, **kwargs):
    given = {"target": "milestone", "object_id": milestone.pk, "field": "note"} | kwargs
    return text_redact(case=milestone.case_id, actor=actor, reason=reason, **given)


def test_staff_redact_a_note_and_every_earlier_version_of_it(case, submitted, admin, staff, partner):
    milestone_note_correct(milestone=submitted, actor=admin, note="Met Mr. Jones about his PTSD")
    redaction = redact(submitted, staff)
    submitted.refresh_from_db()
    assert submitted.note == MARKER
    log = Event.objects.filter(case=case)
    assert log.get(verb="milestone.submitted").data["note"] == MARKER
    assert log.get(verb="milestone.corrected").data["text"] == MARKER
    assert "Jones" not in str(list(log.values_list("data", flat=True)))
    assert redaction.event.verb == "milestone.redacted" and redaction.event.actor == staff
    assert redaction.event.data == {"milestone": submitted.pk, "field": "note", "reason": REASON}
    page = client_for(partner).get(f"/cases/{case.pk}/").content.decode()
    assert "Jones" not in page
    assert f"Stella Staff (site staff) redacted a milestone&#x27;s evidence note — {REASON}" in page


def test_only_site_staff_redact_and_outsiders_learn_nothing(submitted, admin, outsider):
    with pytest.raises(NotAllowed):
        redact(submitted, admin)
    with pytest.raises(NotFound):
        redact(submitted, outsider)
    submitted.refresh_from_db()
    assert submitted.note == CLIENT_NOTE
    assert not Event.objects.filter(verb__endswith=".redacted").exists()


def test_the_reason_is_required_and_guarded(submitted, staff):
    with pytest.raises(ServiceError) as error:
        redact(submitted, staff, reason="  ")
    assert (error.value.field, error.value.code) == ("reason", "required")
    with pytest.raises(ServiceError) as error:
        redact(submitted, staff, reason="Client John Smith DOB 03/14/1980")
    assert (error.value.field, error.value.code) == ("reason", "client_information")


def test_what_cannot_be_redacted_is_named(case, submitted, staff):
    with pytest.raises(ServiceError) as error:
        redact(submitted, staff, target="budget")
    assert (error.value.field, error.value.code) == ("target", "unknown_target")
    with pytest.raises(ServiceError) as error:
        redact(submitted, staff, field="title")
    assert (error.value.field, error.value.code) == ("field", "unknown_field")
    with pytest.raises(ServiceError) as error:
        redact(submitted, staff, object_id=submitted.pk + 10_000)
    assert (error.value.field, error.value.code) == ("id", "not_found")
    empty = Milestone.objects.filter(case=case, note="").first()
    with pytest.raises(ServiceError) as error:
        redact(empty, staff)
    assert error.value.code == "empty"
    redact(submitted, staff)
    with pytest.raises(Conflict):
        redact(submitted, staff)


def test_a_failure_leaves_everything_as_it_was(submitted, staff, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the event could not be written")

    monkeypatch.setattr(redactions, "event_record", broken)
    with pytest.raises(RuntimeError):
        redact(submitted, staff)
    submitted.refresh_from_db()
    assert submitted.note == CLIENT_NOTE
    assert Event.objects.get(verb="milestone.submitted").data["note"] == CLIENT_NOTE


def test_notifications_that_quoted_it_are_scrubbed_but_short_words_elsewhere_are_kept(case, submitted, staff, member):
    quoted = Notification.objects.create(
        recipient=member, kind="announcement", target="t", window="now", case=case,
        subject="Evidence submitted", body=f"Note: {CLIENT_NOTE}. Yesterday's meeting stands.",
    )  # fmt: skip
    redact(submitted, staff)
    quoted.refresh_from_db()
    assert quoted.body == f"Note: {MARKER}. Yesterday's meeting stands."
    assert redactions.text_replace("Yesterday", {"Yes"}) == "Yesterday"
    assert redactions.text_replace("Yes", {"Yes"}) == MARKER


def test_the_case_title_can_be_redacted(case, staff):
    text_redact(case=case.pk, actor=staff, target="case", object_id=case.pk, field="title", reason=REASON)
    case.refresh_from_db()
    assert case.title == MARKER
    with pytest.raises(ServiceError):
        text_redact(case=case.pk, actor=staff, target="case", object_id=case.pk + 1, field="title", reason=REASON)


@pytest.mark.postgres
def test_the_database_lets_only_a_redaction_rewrite_only_an_events_data(case, submitted):
    event = Event.objects.get(verb="milestone.submitted")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE workflow_event SET data = '{}' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('jmhcp.event_scrub', 'on', true)")
        cursor.execute("UPDATE workflow_event SET verb = 'x', data = '{}' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('jmhcp.event_scrub', 'on', true)")
        cursor.execute("DELETE FROM workflow_event WHERE id = %s", [event.pk])
    with transaction.atomic():
        redactions.event_data_scrub(event.pk, {"scrubbed": True})
        # The setting is off again once the scrub is done: the same transaction cannot go on rewriting.
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE workflow_event SET data = '{}' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.data == {"scrubbed": True} and event.verb == "milestone.submitted"


# The API: POST /api/v1/cases/{id}/redactions/


def test_api_staff_redact_others_are_refused(case, submitted, staff, admin, member, outsider):
    url = f"/api/v1/cases/{case.pk}/redactions/"
    body = {"target": "milestone", "id": submitted.pk, "field": "note", "reason": REASON}
    assert api_client(outsider).post(url, body, format="json").status_code == 404
    for participant in (admin, member):
        response = api_client(participant).post(url, body, format="json")
        assert response.status_code == 403, response.content
    submitted.refresh_from_db()
    assert submitted.note == CLIENT_NOTE
    response = api_client(staff).post(url, body, format="json")
    assert response.status_code == 201, response.content
    event = Event.objects.get(verb="milestone.redacted")
    assert response.json() == {"target": "milestone", "id": submitted.pk, "field": "note", "text": MARKER,
                               "event": event.pk}  # fmt: skip
    assert api_client(staff).post(url, body, format="json").status_code == 409


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"reason": ""}, "reason", "blank"),
        ({"reason": "Client John Smith DOB 03/14/1980"}, "reason", "client_information"),
        ({"target": "budget"}, "target", "unknown_target"),
        ({"field": "status"}, "field", "unknown_field"),
        ({"id": 999_999}, "id", "not_found"),
    ],
)
def test_api_bad_input_names_the_field(case, submitted, staff, change, field, code):
    body = {"target": "milestone", "id": submitted.pk, "field": "note", "reason": REASON} | change
    response = api_client(staff).post(f"/api/v1/cases/{case.pk}/redactions/", body, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == (field, code)
    submitted.refresh_from_db()
    assert submitted.note == CLIENT_NOTE


# The pages: a "Redact" link beside the text, a confirmation page


def test_staff_see_the_link_and_redact_on_the_confirmation_page(case, submitted, site_staff, member):
    case_page = f"/cases/{case.pk}/"
    url = f"/cases/{case.pk}/redact/milestone/{submitted.pk}/note/"
    page = client_for(site_staff).get(case_page).content.decode()
    assert f'href="{url}?next=%2Fcases%2F{case.pk}%2F"' in page
    assert url not in client_for(member).get(case_page).content.decode()
    client = client_for(site_staff)
    confirm = client.get(f"{url}?next={case_page}")
    assert confirm.status_code == 200
    assert "This cannot be undone" in confirm.content.decode() and CLIENT_NOTE in confirm.content.decode()
    response = client.post(f"{url}?next={case_page}", {"reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    response = client.post(f"{url}?next={case_page}", {"reason": "Client John Smith DOB 03/14/1980"})
    assert response.status_code == 400 and "a date of birth" in response.content.decode()
    response = client.post(f"{url}?next=https://evil.example/", {"reason": REASON})
    assert response.status_code == 302 and response.url == case_page
    submitted.refresh_from_db()
    assert submitted.note == MARKER
    assert url not in client.get(case_page).content.decode(), "nothing left to redact"


def test_pages_outsider_404_participant_403(case, submitted, outsider, viewer, admin):
    url = f"/cases/{case.pk}/redact/milestone/{submitted.pk}/note/"
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).post(url, {"reason": REASON}).status_code == 404
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(admin).post(url, {"reason": REASON}).status_code == 403
    assert client_for(admin).get(f"/cases/{case.pk}/redact/milestone/{submitted.pk}/status/").status_code == 403
    submitted.refresh_from_db()
    assert submitted.note == CLIENT_NOTE


def test_page_of_something_not_redactable_is_not_found(case, submitted, site_staff):
    client = client_for(site_staff)
    assert client.get(f"/cases/{case.pk}/redact/milestone/{submitted.pk}/status/").status_code == 404
    assert client.get(f"/cases/{case.pk}/redact/milestone/999999/note/").status_code == 404
    assert client.get(f"/cases/999999/redact/milestone/{submitted.pk}/note/").status_code == 404
