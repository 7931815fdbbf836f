"""A co-applicant added by mistake: the lead's admin removes it from the draft (saying why) and adds it back, on the
application page and through the API; its access ends at once, and every applicant signs the new version."""

from __future__ import annotations

import pytest

from config.errors import Conflict, NotAllowed, ServiceError
from grants import services
from grants.models import Application
from tests.grants import flow
from tests.helpers import Write, api_client, assert_access_rules
from tests.helpers import signed_in as page_client
from workflow.models import Event, Participant

WHY = "Added to the wrong application"


def test_removal_ends_access_at_once_and_the_applicants_sign_again(application, admin, bh_org, bh_admin):
    revision = application.revision
    services.co_applicant_remove(application=application, organization=bh_org, actor=admin, reason=WHY)
    assert not Participant.objects.filter(case=application.case, organization=bh_org).exists()
    assert page_client(bh_admin).get(f"/grants/applications/{application.pk}/").status_code == 404
    assert Application.objects.get(pk=application.pk).revision == revision + 1, "signatures so far are void"
    event = Event.objects.get(case=application.case, verb="participant.removed")
    assert event.actor == admin and event.data["reason"] == WHY

    services.co_applicant_restore(application=application, organization=bh_org, actor=admin)
    participant = Participant.objects.get(case=application.case, organization=bh_org)
    assert participant.role == "co_applicant"
    assert page_client(bh_admin).get(f"/grants/applications/{application.pk}/").status_code == 200


def test_only_the_leads_admin_never_the_lead_and_only_a_draft(
    application, admin, member, bh_org, bh_admin, organization, grant_manager
):
    with pytest.raises(NotAllowed):  # The co-applicant's admin manages the case, but does not lead it.
        services.co_applicant_remove(application=application, organization=bh_org, actor=bh_admin, reason=WHY)
    with pytest.raises(NotAllowed):
        services.co_applicant_remove(application=application, organization=bh_org, actor=member, reason=WHY)
    with pytest.raises(Conflict, match="The lead organization cannot be removed"):
        services.co_applicant_remove(application=application, organization=organization, actor=admin, reason=WHY)
    with pytest.raises(ServiceError) as refused:
        services.co_applicant_remove(application=application, organization=bh_org, actor=admin, reason="")
    assert refused.value.field == "reason"
    submitted = flow.submit(application, admin, bh_admin)
    with pytest.raises(Conflict) as refused:
        services.co_applicant_remove(application=submitted, organization=bh_org, actor=admin, reason=WHY)
    assert refused.value.code == "wrong_stage"
    assert Participant.objects.filter(case=application.case, organization=bh_org).exists()


def test_the_generic_case_api_sends_applications_to_their_own_door(application, admin, bh_org):
    url = f"/api/v1/cases/{application.case_id}/participants/remove/"
    response = api_client(admin).post(url, {"organization": bh_org.pk, "reason": WHY}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "domain_participants"


def test_api_remove_and_restore(application, admin, bh_org, bh_admin, outsider, viewer):
    url = f"/api/v1/applications/{application.pk}/"
    assert_access_rules(
        read_url=url,
        writes=[
            Write("post", url + "co-applicants/remove/", {"organization": bh_org.pk, "reason": WHY}),
            Write("post", url + "co-applicants/restore/", {"organization": bh_org.pk}),
        ],
        outsider=outsider,
        viewer=viewer,
        models=[Participant, Event, Application],
    )
    client = api_client(admin)
    response = client.post(url + "co-applicants/remove/", {"organization": bh_org.pk}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "reason"
    sent = {"organization": bh_org.pk, "reason": "Client John Smith DOB 03/14/1980 asked"}
    response = client.post(url + "co-applicants/remove/", sent, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "client_information"
    response = client.post(url + "co-applicants/remove/", {"organization": bh_org.pk, "reason": WHY}, format="json")
    assert response.status_code == 200, response.content
    assert api_client(bh_admin).get(url).status_code == 404
    response = client.post(url + "co-applicants/restore/", {"organization": bh_org.pk}, format="json")
    assert response.status_code == 200, response.content
    assert api_client(bh_admin).get(url).status_code == 200


def test_pages_remove_with_a_reason_then_add_back(application, admin, bh_org, bh_admin, outsider, viewer):
    detail = f"/grants/applications/{application.pk}/"
    remove, restore = f"{detail}co-applicants/{bh_org.pk}/remove/", f"{detail}co-applicants/{bh_org.pk}/restore/"
    lead = page_client(admin)
    page = lead.get(detail).content.decode()
    assert f'href="{remove}"' in page, "a link to the confirmation, not a button"
    assert f"co-applicants/{application.case.organization_id}/remove/" not in page, "never the lead"
    assert "/remove/" not in page_client(bh_admin).get(detail).content.decode()

    for user, status in ((outsider, 404), (viewer, 403), (bh_admin, 403)):
        assert page_client(user).get(remove).status_code == status
        assert page_client(user).post(remove, {"reason": WHY}).status_code == status
    confirm = lead.get(remove).content.decode()
    assert "its staff no longer see the application" in confirm and "Why is it removed?" in confirm
    assert "adding it back does not bring them back" in confirm
    refused = lead.post(remove, {"reason": ""})
    assert refused.status_code == 400 and 'id="id_reason-error"' in refused.content.decode()
    assert Participant.objects.filter(case=application.case, organization=bh_org).exists(), "nothing changed"

    response = lead.post(remove, {"reason": WHY})
    assert response.status_code == 302 and response["Location"].endswith("#co-applicants")
    assert page_client(bh_admin).get(detail).status_code == 404, "the removed organization's access ends at once"
    page = lead.get(detail).content.decode()
    assert "Removed co-applicants" in page and f'href="{restore}"' in page and WHY in page

    assert page_client(viewer).post(restore).status_code == 403
    assert "becomes a co-applicant" in lead.get(restore).content.decode()
    assert lead.post(restore).status_code == 302
    assert page_client(bh_admin).get(detail).status_code == 200
    assert lead.get(restore).status_code == 409, "nothing to add back any more"
