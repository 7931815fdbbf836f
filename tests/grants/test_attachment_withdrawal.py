"""An attachment uploaded by mistake: the organization that attached it withdraws it from the draft on a
confirmation page, saying why; it leaves the lists and downloads, and every applicant signs the new version."""

from __future__ import annotations

import pytest

from config.errors import NotAllowed, NotFound
from grants import services
from grants.models import Application
from grants.selectors.applications import signoffs_current
from tests.grants import flow
from tests.helpers import Write, api_client, assert_access_rules
from tests.helpers import signed_in as page_client
from workflow.models import Document, Event

WHY = "The unsigned version; the signed one follows"


@pytest.fixture
def attached(application, admin):
    return services.application_document_upload(
        application=application, actor=admin, upload=flow.pdf("letters.pdf"), kind="program_narrative"
    )


def test_the_organization_that_attached_it_withdraws_it_and_the_applicants_sign_again(
    application, attached, admin, bh_admin
):
    revision = Application.objects.get(pk=application.pk).revision
    with pytest.raises(NotAllowed):  # The co-applicant works on the draft too, but did not attach it.
        services.application_document_withdraw(application=application, document=attached, actor=bh_admin, reason=WHY)
    services.application_document_withdraw(application=application, document=attached, actor=admin, reason=WHY)
    assert Document.objects.get(pk=attached.pk).withdrawn_at is not None
    assert Application.objects.get(pk=application.pk).revision == revision + 1, "signatures so far are void"
    assert Event.objects.get(case=application.case, verb="document.withdrawn").data["reason"] == WHY
    with pytest.raises(NotFound):  # Withdrawn: out of everyone's sight but site staff's.
        services.application_document_withdraw(application=application, document=attached, actor=admin, reason=WHY)


def test_the_withdraw_page(application, attached, admin, bh_admin, viewer, outsider):
    detail = f"/grants/applications/{application.pk}/"
    url = f"{detail}documents/{attached.pk}/withdraw/"
    lead = page_client(admin)
    assert f'href="{url}"' in lead.get(detail).content.decode(), "a link to the confirmation, not a button"
    assert url not in page_client(bh_admin).get(detail).content.decode(), "not the co-applicant's to withdraw"
    for user, status in ((outsider, 404), (viewer, 403), (bh_admin, 403)):
        assert page_client(user).get(url).status_code == status
        assert page_client(user).post(url, {"reason": WHY}).status_code == status
    confirm = lead.get(url).content.decode()
    assert "everyone but site staff" in confirm and "A withdrawn attachment cannot be put back" in confirm
    refused = lead.post(url, {"reason": ""})
    assert refused.status_code == 400 and 'id="id_reason-error"' in refused.content.decode()
    assert Document.objects.get(pk=attached.pk).withdrawn_at is None, "nothing changed"
    response = lead.post(url, {"reason": WHY})
    assert response.status_code == 302 and response["Location"].endswith("#attachments")
    assert Document.objects.get(pk=attached.pk).withdrawn_at is not None
    assert page_client(bh_admin).get(f"/cases/{application.case_id}/documents/{attached.pk}/").status_code == 404


def test_not_once_the_application_is_submitted(application, attached, admin, bh_admin):
    submitted = flow.submit(application, admin, bh_admin)
    url = f"/grants/applications/{submitted.pk}/documents/{attached.pk}/withdraw/"
    response = page_client(admin).get(url)
    assert response.status_code == 409 and "the application is at the stage" in response.content.decode()


def test_one_path_the_generic_endpoints_send_an_attachment_to_the_application(application, attached, admin, bh_admin):
    """Withdrawing an attachment voids the signatures; the generic document endpoints and page would not, so they
    answer 409 `domain_documents` and change nothing."""
    flow.prepare(application, admin, bh_admin)
    revision = Application.objects.get(pk=application.pk).revision
    client = api_client(admin)
    response = client.post(f"/api/v1/documents/{attached.pk}/withdraw/", {"reason": WHY}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "domain_documents"
    assert "the application's attachments" in response.json()["message"]
    response = client.post(f"/api/v1/documents/{attached.pk}/replace/", {"file": flow.pdf("letters_signed.pdf")})
    assert response.status_code == 409 and response.json()["code"] == "domain_documents"
    page = page_client(admin).get(f"/cases/{application.case_id}/documents/{attached.pk}/change/")
    assert page.status_code == 409 and "the application&#x27;s attachments" in page.content.decode()
    case_page = page_client(admin).get(f"/cases/{application.case_id}/").content.decode()
    assert f"/documents/{attached.pk}/change/" not in case_page, "no link to a step the engine refuses"
    assert Document.objects.get(pk=attached.pk).withdrawn_at is None
    assert (
        Document.objects.filter(case=application.case).count()
        == len(application.solicitation.required_document_kinds) + 1
    )
    assert Application.objects.get(pk=application.pk).revision == revision
    assert len(signoffs_current(application=flow.fresh(application))) == 2, "nothing was withdrawn: still signed"


def test_api_withdraws_an_attachment_and_the_applicants_sign_again(application, attached, admin, bh_admin):
    flow.prepare(application, admin, bh_admin)
    url = f"/api/v1/applications/{application.pk}/documents/withdraw/"
    client = api_client(admin)
    response = client.post(url, {"document": attached.pk}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "reason"
    response = client.post(url, {"document": attached.pk, "reason": "Client John Smith DOB 03/14/1980"}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "client_information"
    response = client.post(url, {"document": 0, "reason": WHY}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "document"
    response = api_client(bh_admin).post(url, {"document": attached.pk, "reason": WHY}, format="json")
    assert response.status_code == 403, "the co-applicant did not attach it"
    response = client.post(url, {"document": attached.pk, "reason": WHY}, format="json")
    assert response.status_code == 200, response.content
    assert Document.objects.get(pk=attached.pk).withdrawal_reason == WHY
    assert not signoffs_current(application=flow.fresh(application)), "the signatures were for the old version"
    assert response.json()["revision"] == flow.fresh(application).revision
    response = client.post(url, {"document": attached.pk, "reason": WHY}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "document", "withdrawn: gone"


def test_api_withdrawal_outsider_gets_404_and_viewer_cannot_write(application, attached, outsider, viewer):
    url = f"/api/v1/applications/{application.pk}/"
    assert_access_rules(
        read_url=url,
        writes=[Write("post", url + "documents/withdraw/", {"document": attached.pk, "reason": WHY})],
        outsider=outsider,
        viewer=viewer,
        models=[Document, Event, Application],
    )


def test_api_withdrawal_not_once_submitted(application, attached, admin, bh_admin):
    submitted = flow.submit(application, admin, bh_admin)
    url = f"/api/v1/applications/{submitted.pk}/documents/withdraw/"
    response = api_client(admin).post(url, {"document": attached.pk, "reason": WHY}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "wrong_stage"
    response = api_client(admin).post(f"/api/v1/documents/{attached.pk}/withdraw/", {"reason": WHY}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "domain_documents"
    assert Document.objects.get(pk=attached.pk).withdrawn_at is None
