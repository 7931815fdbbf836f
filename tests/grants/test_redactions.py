"""The grant texts site staff may redact (``grants/redactions.py``): an application's abstract, a report's narrative;
a "Redact" link beside each for them alone."""

from __future__ import annotations

from grants.awards.services.reports import report_draft
from grants.services.applications import application_update
from tests.grants import award_flow
from tests.helpers import api_client
from tests.helpers import signed_in as client_for
from workflow.models import Event
from workflow.redactions import MARKER

REASON = "It named a client."


def test_an_abstract_through_the_api_and_the_page_link(application, admin, bh_admin, site_staff):
    application_update(application=application, actor=admin, abstract="Serving client John Smith, Dx bipolar")
    page = f"/grants/applications/{application.pk}/"
    link = f"/cases/{application.case_id}/redact/application/{application.pk}/abstract/"
    assert link in client_for(site_staff).get(page).content.decode()
    assert link not in client_for(admin).get(page).content.decode()
    body = {"target": "application", "id": application.pk, "field": "abstract", "reason": REASON}
    url = f"/api/v1/cases/{application.case_id}/redactions/"
    assert api_client(bh_admin).post(url, body, format="json").status_code == 403
    response = api_client(site_staff).post(url, body, format="json")
    assert response.status_code == 201, response.content
    application.refresh_from_db()
    assert application.abstract == MARKER
    assert Event.objects.filter(verb="application.redacted", actor=site_staff).exists()


def test_a_report_narrative(award, admin, site_staff):
    report = award_flow.first_quarterly(award_flow.accept(award, admin))
    report_draft(report=report, actor=admin, text="Officers took client Jane Doe (DOB 01/02/1990) to the ER")
    page = f"/grants/awards/{award.pk}/reports/{report.pk}/"
    link = f"/cases/{award.case_id}/redact/report/{report.pk}/text/"
    assert link in client_for(site_staff).get(page).content.decode()
    response = client_for(site_staff).post(f"{link}?next={page}", {"reason": REASON})
    assert response.status_code == 302 and response.url == page
    report.refresh_from_db()
    assert report.text == MARKER
