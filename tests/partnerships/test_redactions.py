"""Partnership and TA texts: site staff redact them (``partnerships/redactions.py``), and the assessed organization
corrects an answer's note on a page of its own."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from partnerships.models import AssessmentAnswer, TADelivery
from partnerships.services.agreements import agreement_create, agreement_sign
from partnerships.services.assessments import assessment_start, assessment_submit
from partnerships.services.corrections import assessment_note_correct
from tests.helpers import signed_in as client_for
from workflow.models import Event
from workflow.redactions import MARKER, text_redact

REASON = "It named a client."
CLIENT_NOTE = "We saw client Robert Brown, Dx schizophrenia"


@pytest.fixture
def assessment(partnership, bh_org, bh_admin):
    """The behavioral health provider's assessment, submitted, with a note naming a client on its first item."""
    assessment = assessment_start(partnership=partnership, organization=bh_org, actor=bh_admin)
    rows = list(assessment.answers.select_related("item").order_by("item__order"))
    answers = {row.item_id: {"answer": "yes", "note": ""} for row in rows}
    answers[rows[0].item_id]["note"] = CLIENT_NOTE
    return assessment_submit(assessment=assessment, actor=bh_admin, answers=answers)


def first_answer(assessment) -> AssessmentAnswer:
    return assessment.answers.select_related("item").order_by("item__order").first()


def test_an_agreement_title_goes_from_its_recording_and_signature_events(partnership, admin, organization, bh_org,
                                                                           staff):  # fmt: skip
    agreement = agreement_create(
        partnership=partnership, actor=admin, kind="information_sharing", title="ISA re client John Smith",
        parties=[organization, bh_org], effective_date=date(2027, 1, 1),
    )  # fmt: skip
    agreement_sign(agreement=agreement, organization=organization, actor=admin)
    text_redact(case=partnership.case, actor=staff, target="agreement", object_id=agreement.pk, field="title",
                reason=REASON)  # fmt: skip
    agreement.refresh_from_db()
    assert agreement.title == MARKER
    carried = Event.objects.filter(verb__in=["agreement.recorded", "agreement.signed"]).values_list("data", flat=True)
    assert [data["title"] for data in carried] == [MARKER, MARKER]


def test_an_answer_note_goes_with_its_corrections(partnership, assessment, bh_admin, staff):
    answer = first_answer(assessment)
    assessment_note_correct(answer=answer, actor=bh_admin, note="We saw Robert Brown again")
    text_redact(case=partnership.case, actor=staff, target="assessment_answer", object_id=answer.pk, field="note",
                reason=REASON)  # fmt: skip
    answer.refresh_from_db()
    assert answer.note == MARKER
    assert Event.objects.get(verb="assessment_answer.corrected").data["text"] == MARKER


def test_a_ta_request_and_its_delivery_note(ta_request, coordinator, site_org, staff):
    delivery = TADelivery.objects.create(
        ta_request=ta_request, site=site_org, recorded_by=coordinator, delivered_on=date(2027, 2, 1),
        delivery_type="training", hours=Decimal("4"), note="Jane Doe (client) attended",
    )  # fmt: skip
    case = ta_request.case
    text_redact(
        case=case, actor=staff, target="ta_request", object_id=ta_request.pk, field="description", reason=REASON
    )
    text_redact(case=case, actor=staff, target="ta_delivery", object_id=delivery.pk, field="note", reason=REASON)
    ta_request.refresh_from_db()
    delivery.refresh_from_db()
    assert (ta_request.description, delivery.note) == (MARKER, MARKER)


def test_partnership_and_assessment_pages_show_staff_the_links(partnership, assessment, site_staff, admin):
    case = partnership.case
    page = client_for(site_staff).get(f"/partnerships/{partnership.pk}/").content.decode()
    assert f"/cases/{case.pk}/redact/case/{case.pk}/title/" in page
    url = f"/assessments/{assessment.pk}/"
    page = client_for(site_staff).get(f"/partnerships/{partnership.pk}{url}").content.decode()
    answer = first_answer(assessment)
    link = f"/cases/{case.pk}/redact/assessment_answer/{answer.pk}/note/"
    assert link in page
    assert "/redact/" not in client_for(admin).get(f"/partnerships/{partnership.pk}{url}").content.decode()
    response = client_for(site_staff).post(link + f"?next=/partnerships/{partnership.pk}{url}", {"reason": REASON})
    assert response.status_code == 302 and response.url == f"/partnerships/{partnership.pk}{url}"
    answer.refresh_from_db()
    assert answer.note == MARKER


# Correcting an answer's note on its own page (the API is POST /api/v1/assessments/{id}/note/)


def test_the_assessed_organization_sees_correct_and_corrects(partnership, assessment, bh_admin, admin):
    detail = f"/partnerships/{partnership.pk}/assessments/{assessment.pk}/"
    answer = first_answer(assessment)
    url = f"{detail}answers/{answer.pk}/note/"
    assert url in client_for(bh_admin).get(detail).content.decode()
    assert url not in client_for(admin).get(detail).content.decode(), "the lead did not write it"
    client = client_for(bh_admin)
    page = client.get(url)
    assert page.status_code == 200 and CLIENT_NOTE in page.content.decode()
    response = client.post(url, {"note": "Weekly case conferences with the county"})
    assert response.status_code == 302 and response.url == f"{detail}#item-{answer.item.order}"
    answer.refresh_from_db()
    assert answer.note == "Weekly case conferences with the county"
    event = Event.objects.get(verb="assessment_answer.corrected")
    assert event.actor == bh_admin and event.data["text"] == answer.note


def test_correcting_a_note_refuses_others_and_client_information(partnership, assessment, admin, outsider, bh_admin):
    answer = first_answer(assessment)
    url = f"/partnerships/{partnership.pk}/assessments/{assessment.pk}/answers/{answer.pk}/note/"
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).post(url, {"note": "x"}).status_code == 404
    assert client_for(admin).post(url, {"note": "Ours now"}).status_code == 403
    response = client_for(bh_admin).post(url, {"note": "Client John Smith DOB 03/14/1980"})
    body = response.content.decode()
    assert response.status_code == 400 and "a date of birth" in body
    assert 'id="id_note-error"' in body or "usa-error-message" in body
    answer.refresh_from_db()
    assert answer.note == CLIENT_NOTE
    other = f"/partnerships/{partnership.pk}/assessments/{assessment.pk}/answers/999999/note/"
    assert client_for(bh_admin).get(other).status_code == 404
