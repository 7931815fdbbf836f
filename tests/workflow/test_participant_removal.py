"""A co-applicant added by mistake: the lead's admin removes it through the case API, and adds it back."""

from __future__ import annotations

from tests.helpers import Write, api_client, assert_access_rules
from workflow.models import Case, Event, Participant


def test_the_lead_admin_removes_a_co_applicant_whose_access_ends_at_once(case, admin, partner, partner_org):
    client = api_client(admin)
    url = f"/api/v1/cases/{case.pk}/participants"
    partner_client = api_client(partner)
    assert partner_client.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    response = client.post(f"{url}/remove/", {"organization": partner_org.pk}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "reason"
    assert partner_client.get(f"/api/v1/cases/{case.pk}/").status_code == 200, "a refused removal changes nothing"
    sent = {"organization": partner_org.pk, "reason": "Added by mistake"}
    assert client.post(f"{url}/remove/", sent, format="json").status_code == 204
    # The same client, the next request: nothing remembered its rights.
    assert partner_client.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert Event.objects.get(case=case, verb="participant.removed", actor=admin).data["reason"] == "Added by mistake"
    response = client.post(f"{url}/restore/", {"organization": partner_org.pk}, format="json")
    assert response.status_code == 201 and response.json()["role"] == "co_applicant"
    assert partner_client.get(f"/api/v1/cases/{case.pk}/").status_code == 200


def test_never_the_lead_nor_bja_and_not_by_the_co_applicant(case, admin, partner, organization, bja, partner_org):
    url = f"/api/v1/cases/{case.pk}/participants/remove/"
    why = {"reason": "Added by mistake"}
    response = api_client(admin).post(url, {"organization": organization.pk} | why, format="json")
    assert response.status_code == 409 and response.json()["code"] == "not_removable"
    assert api_client(admin).post(url, {"organization": bja.pk} | why, format="json").status_code == 409
    # The co-applicant's admin manages the case too, but only the lead's admin removes participants.
    assert api_client(partner).post(url, {"organization": partner_org.pk} | why, format="json").status_code == 403
    assert Participant.objects.filter(case=case).count() == 3


def test_outsider_gets_404_and_viewer_cannot_write(case, partner_org, outsider, viewer):
    url = f"/api/v1/cases/{case.pk}"
    assert_access_rules(
        read_url=f"{url}/",
        writes=[
            Write("post", f"{url}/participants/remove/", {"organization": partner_org.pk, "reason": "By mistake"}),
            Write("post", f"{url}/participants/restore/", {"organization": partner_org.pk}),
        ],
        outsider=outsider,
        viewer=viewer,
        models=[Case, Participant, Event],
    )
