"""A member deactivated by mistake: an organization admin gives the access back (service, API and page)."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts import services
from accounts.models import Membership, SecurityEvent
from config.errors import Conflict, NotAllowed
from tests.helpers import api_client


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def removed(admin, member):
    membership = Membership.objects.get(user=member)
    return services.membership_deactivate(actor=admin, membership=membership)


def test_an_admin_reactivates_a_deactivated_member(organization, admin, member, removed):
    membership = services.membership_reactivate(actor=admin, membership=removed)
    assert membership.is_active
    assert SecurityEvent.objects.filter(kind="member_added", user=member, actor=admin).exists()


def test_only_admins_and_only_deactivated_members(organization, admin, member, viewer, removed):
    with pytest.raises(NotAllowed):
        services.membership_reactivate(actor=viewer, membership=removed)
    invited = services.membership_invite(actor=admin, organization=organization, email="new@example.org", role="member")
    services.membership_deactivate(actor=admin, membership=invited)  # A withdrawn invitation is not reactivated.
    with pytest.raises(Conflict):
        services.membership_reactivate(actor=admin, membership=Membership.objects.get(pk=invited.pk))
    member.is_active = False
    member.save()
    with pytest.raises(Conflict) as error:
        services.membership_reactivate(actor=admin, membership=removed)
    assert error.value.code == "account_disabled"


def test_api_outsider_gets_404_and_viewer_cannot_write(organization, admin, outsider, viewer, removed):
    url = f"/api/v1/organizations/{organization.pk}/members/{removed.pk}/reactivate/"
    assert api_client(outsider).post(url).status_code == 404
    assert api_client(viewer).post(url).status_code == 403
    assert not Membership.objects.get(pk=removed.pk).is_active
    response = api_client(admin).post(url)
    assert response.status_code == 200 and response.json()["is_active"] is True


def test_page_restores_access(organization, admin, outsider, viewer, removed):
    url = f"/organizations/{organization.pk}/members/{removed.pk}/reactivate/"
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(viewer).post(url).status_code == 403
    page = client_for(admin).get(f"/organizations/{organization.pk}/members/").content.decode()
    assert "Restore access" in page
    assert client_for(admin).post(url).status_code == 302
    assert Membership.objects.get(pk=removed.pk).is_active


def test_removing_and_restoring_access_are_confirmed_on_their_own_pages(organization, admin, member, outsider, viewer):
    membership = Membership.objects.get(user=member)
    members = f"/organizations/{organization.pk}/members/"
    remove, restore = f"{members}{membership.pk}/deactivate/", f"{members}{membership.pk}/reactivate/"
    client = client_for(admin)
    assert f'href="{remove}"' in client.get(members).content.decode(), "a link to the confirmation, not a button"
    for url in (remove, restore):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(viewer).get(url).status_code == 403
    page = client.get(remove).content.decode()
    assert "no longer sees" in page and "Remove access" in page
    assert Membership.objects.get(pk=membership.pk).is_active, "showing the page changes nothing"
    assert client.post(remove).status_code == 302
    assert not Membership.objects.get(pk=membership.pk).is_active
    assert f'href="{restore}"' in client.get(members).content.decode()
    assert "acts for it again" in client.get(restore).content.decode()
    assert client.post(restore).status_code == 302
    assert Membership.objects.get(pk=membership.pk).is_active


def test_the_last_admin_is_refused_on_the_confirmation_page(organization, admin):
    own = Membership.objects.get(user=admin)
    response = client_for(admin).post(f"/organizations/{organization.pk}/members/{own.pk}/deactivate/")
    assert response.status_code == 409 and "at least one active administrator" in response.content.decode()
    assert Membership.objects.get(pk=own.pk).is_active
