"""A member added by mistake: the lead's admin removes it (never the lead), its access ends, and it comes back."""

from __future__ import annotations

import pytest
from django.test import Client

from config.errors import Conflict, NotAllowed
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
    partnership_member_remove(partnership=partnership, organization=bh_org, actor=admin)
    assert not Case.objects.visible_to(bh_admin, "view").filter(pk=partnership.case_id).exists()
    assert client_for(bh_admin).get(f"/partnerships/{partnership.pk}/").status_code == 404
    assert api_client(bh_admin).get(f"/api/v1/partnerships/{partnership.pk}/").status_code == 404
    assert not PartnershipMember.objects.filter(partnership=partnership, organization=bh_org).exists()
    event = Event.objects.get(case=partnership.case, verb="participant.removed")
    assert event.actor == admin and event.data["organization"] == bh_org.name

    member = partnership_member_restore(partnership=partnership, organization=bh_org, actor=admin)
    assert member.role == "behavioral_health"
    assert Case.objects.visible_to(bh_admin, "view").filter(pk=partnership.case_id).exists()


def test_never_the_lead_and_only_the_leads_admin(partnership, admin, member, organization, bh_org, bh_admin):
    # The behavioral health partner's admin manages the case too, but is not the lead's admin.
    with pytest.raises(NotAllowed):
        partnership_member_remove(partnership=partnership, organization=bh_org, actor=bh_admin)
    with pytest.raises(NotAllowed):
        partnership_member_remove(partnership=partnership, organization=bh_org, actor=member)
    with pytest.raises(Conflict, match="The lead organization cannot be removed"):
        partnership_member_remove(partnership=partnership, organization=organization, actor=admin)
    with pytest.raises(Conflict):
        participant_remove(case=partnership.case, organization=bh_org, actor=admin)
    assert Participant.objects.filter(case=partnership.case).count() == 3


def test_api_outsider_gets_404_and_viewer_cannot_write(partnership, bh_org, outsider, viewer, admin):
    base = f"/api/v1/partnerships/{partnership.pk}"
    assert_access_rules(
        read_url=f"{base}/",
        writes=[
            Write("post", f"{base}/members/remove/", {"organization": bh_org.pk}),
            Write("post", f"{base}/members/restore/", {"organization": bh_org.pk}),
        ],
        outsider=outsider,
        viewer=viewer,
        models=[Participant, PartnershipMember, Event],
    )
    client = api_client(admin)
    assert client.post(f"{base}/members/remove/", {"organization": bh_org.pk}, format="json").status_code == 204
    response = client.post(f"{base}/members/restore/", {"organization": bh_org.pk}, format="json")
    assert response.status_code == 201, response.content


def test_pages_remove_and_add_back(partnership, bh_org, admin, outsider, viewer):
    base = f"/partnerships/{partnership.pk}/members"
    assert client_for(outsider).post(f"{base}/remove/", {"organization": bh_org.pk}).status_code == 404
    assert client_for(viewer).post(f"{base}/remove/", {"organization": bh_org.pk}).status_code == 403
    assert "Remove<span" not in client_for(viewer).get(f"/partnerships/{partnership.pk}/").content.decode()
    client = client_for(admin)
    assert client.post(f"{base}/remove/", {"organization": bh_org.pk}).status_code == 302
    page = client.get(f"/partnerships/{partnership.pk}/").content.decode()
    assert "Removed members" in page and "Add back" in page
    assert client.post(f"{base}/restore/", {"organization": bh_org.pk}).status_code == 302
    assert PartnershipMember.objects.filter(partnership=partnership, organization=bh_org).exists()
