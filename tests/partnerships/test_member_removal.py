"""A member added by mistake: the lead's admin removes it (never the lead), its access ends, and it comes back."""

from __future__ import annotations

import pytest
from django.test import Client

from config.errors import Conflict, NotAllowed, ServiceError
from partnerships.models import Partnership, PartnershipMember
from partnerships.services.members import partnership_member_remove, partnership_member_restore
from tests.helpers import Write, api_client, assert_access_rules
from workflow.models import Case, Event, Participant
from workflow.participants import participant_remove


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_removal_ends_access_at_once_and_restore_gives_it_back(partnership, admin, bh_org, bh_admin):
    assert Partnership.objects.filter(pk=partnership.pk).exists()
    assert Case.objects.visible_to(bh_admin, "view").filter(pk=partnership.case_id).exists()
    partnership_member_remove(partnership=partnership, organization=bh_org, actor=admin, reason="Added by mistake")
    assert not Case.objects.visible_to(bh_admin, "view").filter(pk=partnership.case_id).exists()
    assert client_for(bh_admin).get(f"/partnerships/{partnership.pk}/").status_code == 404
    assert api_client(bh_admin).get(f"/api/v1/partnerships/{partnership.pk}/").status_code == 404
    assert not PartnershipMember.objects.filter(partnership=partnership, organization=bh_org).exists()
    event = Event.objects.get(case=partnership.case, verb="participant.removed")
    assert event.actor == admin and event.data["organization"] == bh_org.name
    assert event.data["reason"] == "Added by mistake"

    member = partnership_member_restore(partnership=partnership, organization=bh_org, actor=admin)
    assert member.role == "behavioral_health"
    assert Case.objects.visible_to(bh_admin, "view").filter(pk=partnership.case_id).exists()


def test_never_the_lead_and_only_the_leads_admin(partnership, admin, member, organization, bh_org, bh_admin):
    # The behavioral health partner's admin manages the case too, but is not the lead's admin.
    why = "Added by mistake"
    with pytest.raises(NotAllowed):
        partnership_member_remove(partnership=partnership, organization=bh_org, actor=bh_admin, reason=why)
    with pytest.raises(NotAllowed):
        partnership_member_remove(partnership=partnership, organization=bh_org, actor=member, reason=why)
    with pytest.raises(Conflict, match="The lead organization cannot be removed"):
        partnership_member_remove(partnership=partnership, organization=organization, actor=admin, reason=why)
    with pytest.raises(Conflict):
        participant_remove(case=partnership.case, organization=bh_org, actor=admin, reason=why)
    with pytest.raises(ServiceError) as refused:
        partnership_member_remove(partnership=partnership, organization=bh_org, actor=admin, reason="  ")
    assert refused.value.field == "reason"
    assert Participant.objects.filter(case=partnership.case).count() == 3


def test_api_outsider_gets_404_and_viewer_cannot_write(partnership, bh_org, outsider, viewer, admin):
    base = f"/api/v1/partnerships/{partnership.pk}"
    assert_access_rules(
        read_url=f"{base}/",
        writes=[
            Write("post", f"{base}/members/remove/", {"organization": bh_org.pk, "reason": "Added by mistake"}),
            Write("post", f"{base}/members/restore/", {"organization": bh_org.pk}),
        ],
        outsider=outsider,
        viewer=viewer,
        models=[Participant, PartnershipMember, Event],
    )
    client = api_client(admin)
    response = client.post(f"{base}/members/remove/", {"organization": bh_org.pk}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "reason"
    sent = {"organization": bh_org.pk, "reason": "Added by mistake"}
    assert client.post(f"{base}/members/remove/", sent, format="json").status_code == 204
    response = client.post(f"{base}/members/restore/", {"organization": bh_org.pk}, format="json")
    assert response.status_code == 201, response.content


def test_pages_confirm_the_removal_with_a_reason_and_the_add_back(
    partnership, bh_org, bh_admin, admin, outsider, viewer
):
    detail = f"/partnerships/{partnership.pk}/"
    remove, restore = f"{detail}members/{bh_org.pk}/remove/", f"{detail}members/{bh_org.pk}/restore/"
    for url in (remove, restore):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).post(url, {"reason": "x"}).status_code == 404
        assert client_for(viewer).get(url).status_code == 403
        assert client_for(viewer).post(url, {"reason": "x"}).status_code == 403
    assert "Remove<span" not in client_for(viewer).get(detail).content.decode()
    client = client_for(admin)
    assert f'href="{remove}"' in client.get(detail).content.decode(), "a link to the confirmation, not a button"
    page = client.get(remove).content.decode()
    assert "its staff no longer" in page and "Why is it removed?" in page
    refused = client.post(remove, {"reason": ""})
    assert refused.status_code == 400 and 'id="id_reason-error"' in refused.content.decode()
    assert PartnershipMember.objects.filter(partnership=partnership, organization=bh_org).exists()
    assert client.post(remove, {"reason": "Added to the wrong partnership"}).status_code == 302
    assert client_for(bh_admin).get(detail).status_code == 404, "access ends at once"
    page = client.get(detail).content.decode()
    assert "Removed members" in page and f'href="{restore}"' in page and "Added to the wrong partnership" in page
    assert "becomes a member" in client.get(restore).content.decode()
    assert client.post(restore).status_code == 302
    assert PartnershipMember.objects.filter(partnership=partnership, organization=bh_org).exists()
    assert client_for(bh_admin).get(detail).status_code == 200
