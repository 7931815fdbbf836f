"""Invitations: nobody joins an organization without accepting, and until then the invitation grants nothing.

An admin who could add any existing account at once could make a BJA peer reviewer "affiliated" with their
agency and so knock them off its applications (the conflict rule: tests/grants/test_reviews.py); the case
access side is in tests/workflow/test_access.py.
"""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from accounts import selectors, services
from accounts.emails import invitation_link
from accounts.models import Membership, MembershipStatus, Organization, Role
from config.errors import Conflict, NotFound
from tests import factories
from tests.helpers import api_client


@pytest.fixture
def invitation(organization, admin, outsider, django_capture_on_commit_callbacks):
    """The outsider, who has an account (in another organization), invited to ours."""
    with django_capture_on_commit_callbacks(execute=True):
        return services.membership_invite(actor=admin, organization=organization, email=outsider.email, role="member")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body)[0]


def test_an_existing_account_is_invited_not_added(organization, invitation, outsider):
    assert invitation.user == outsider
    assert invitation.status == MembershipStatus.PENDING and not invitation.is_active
    assert not Organization.objects.visible_to(outsider).filter(pk=organization.pk).exists()
    assert selectors.membership_role(user=outsider, organization=organization) is None
    assert organization not in [m.organization for m in selectors.user_memberships(user=outsider)]
    assert selectors.organization_list_for_user(user=outsider).filter(pk=organization.pk).count() == 0
    assert [m.to for m in mail.outbox] == [[outsider.email]]
    assert link_in(mail.outbox[0]).endswith(f"/invitations/{invitation.id}/")
    assert "/accounts/reset/" not in mail.outbox[0].body, "an existing account keeps its password"


def test_the_invitee_accepts_and_then_belongs(organization, invitation, outsider):
    joined = services.membership_accept(actor=outsider, membership=invitation)

    assert joined.status == MembershipStatus.ACCEPTED and joined.is_active
    assert Organization.objects.visible_to(outsider).filter(pk=organization.pk).exists()
    assert selectors.membership_role(user=outsider, organization=organization) == Role.MEMBER


def test_the_invitee_may_decline_and_be_invited_again(organization, admin, invitation, outsider):
    declined = services.membership_decline(actor=outsider, membership=invitation)
    assert declined.status == MembershipStatus.DECLINED and not declined.is_active
    assert not Organization.objects.visible_to(outsider).filter(pk=organization.pk).exists()

    again = services.membership_invite(actor=admin, organization=organization, email=outsider.email, role="viewer")
    assert again.pk == invitation.pk and again.is_pending and again.role == Role.VIEWER


def test_only_the_invitee_may_answer(invitation, admin, member, staff):
    for someone in (admin, member, staff):
        for answer in (services.membership_accept, services.membership_decline):
            with pytest.raises(NotFound):
                answer(actor=someone, membership=invitation)
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_an_invitation_is_answered_once(invitation, outsider):
    services.membership_accept(actor=outsider, membership=invitation)
    for answer in (services.membership_accept, services.membership_decline):
        with pytest.raises(Conflict) as error:
            answer(actor=outsider, membership=invitation)
        assert error.value.code == "invitation_answered"
    invitation.refresh_from_db()
    assert invitation.is_active


def test_a_withdrawn_invitation_cannot_be_accepted(admin, invitation, outsider):
    withdrawn = services.membership_deactivate(actor=admin, membership=invitation)
    assert withdrawn.status == MembershipStatus.WITHDRAWN
    with pytest.raises(Conflict):
        services.membership_accept(actor=outsider, membership=invitation)
    assert not Membership.objects.get(pk=invitation.pk).is_active


def test_an_active_membership_needs_an_accepted_invitation(invitation):
    """The database refuses what no service should write: a pending membership that counts."""
    invitation.is_active = True
    with pytest.raises(ValidationError, match="active only once its invitation is accepted"):
        invitation.full_clean()
    with pytest.raises(IntegrityError, match="membership_active_only_when_accepted"), transaction.atomic():
        Membership.objects.filter(pk=invitation.pk).update(is_active=True)


def test_a_new_account_accepts_by_choosing_a_password(organization, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.membership_invite(
            actor=admin, organization=organization, email="new.clinician@example.org", role=Role.VIEWER
        )
    assert invited.is_pending and not invited.is_active
    link = link_in(mail.outbox[0])
    assert "/accounts/reset/" in link and link.endswith(f"/invitation/{invited.id}/")

    client = Client()
    form = client.get(link, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    password = "a-long-enough-passphrase-2027"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}, follow=True)

    assert f"You joined {organization}" in done.content.decode()
    invited.refresh_from_db()
    assert invited.is_active and invited.status == MembershipStatus.ACCEPTED
    assert invited.user.check_password(password)


def test_a_password_link_accepts_no_one_elses_invitation(organization, admin, invitation, outsider):
    """The membership id in the link is only a pointer: the token decides whose invitation may be accepted."""
    newcomer = services.membership_invite(actor=admin, organization=organization, email="n@example.org", role="member")
    link = invitation_link(newcomer).replace(f"/invitation/{newcomer.id}/", f"/invitation/{invitation.id}/")
    client = Client()
    form = client.get(link, follow=True)
    password = "a-long-enough-passphrase-2027"
    client.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})

    invitation.refresh_from_db()
    assert invitation.is_pending, "the outsider's invitation waits for the outsider"


# The API: /api/v1/me/invitations/


def test_api_lists_my_waiting_invitations_and_accepts_one(organization, invitation, outsider):
    client = api_client(outsider)
    listed = client.get("/api/v1/me/invitations/").json()["results"]
    assert [(row["id"], row["organization_name"], row["status"]) for row in listed] == [
        (invitation.id, organization.name, "pending")
    ]

    accepted = client.post(f"/api/v1/me/invitations/{invitation.id}/accept/")

    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == "accepted" and accepted.json()["is_active"] is True
    assert client.get("/api/v1/me/invitations/").json()["results"] == []
    assert organization.id in [m["organization"] for m in client.get("/api/v1/me/").json()["memberships"]]


def test_api_accepting_twice_is_a_409(invitation, outsider):
    client = api_client(outsider)
    assert client.post(f"/api/v1/me/invitations/{invitation.id}/accept/").status_code == 200

    again = client.post(f"/api/v1/me/invitations/{invitation.id}/accept/")

    assert again.status_code == 409
    assert again.json()["code"] == "invitation_answered"


def test_api_someone_elses_invitation_is_not_found(invitation, admin, member):
    for someone in (admin, member):
        client = api_client(someone)
        assert client.get(f"/api/v1/me/invitations/{invitation.id}/").status_code == 404
        assert client.post(f"/api/v1/me/invitations/{invitation.id}/accept/").status_code == 404
        assert client.post(f"/api/v1/me/invitations/{invitation.id}/decline/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_api_invite_answers_pending_and_the_admin_sees_it(organization, admin, outsider):
    members = f"/api/v1/organizations/{organization.id}/members/"
    created = api_client(admin).post(members, {"email": outsider.email, "role": "viewer"}, format="json")

    assert created.status_code == 201
    assert created.json()["status"] == "pending" and created.json()["is_active"] is False
    assert api_client(admin).get(f"/api/v1/organizations/{organization.id}/").json()["member_count"] == 1
    waiting = api_client(admin).get(f"{members}?status=pending").json()["results"]
    assert [row["email"] for row in waiting] == [outsider.email]


# The pages: the dashboard and /invitations/<id>/


def test_dashboard_shows_the_invitation_and_accepting_joins(organization, invitation, outsider):
    client = signed_in(outsider)
    page = client.get("/").content.decode()
    assert "Invitations waiting for you" in page and organization.name in page
    assert f'action="/invitations/{invitation.id}/accept/"' in page

    response = client.post(f"/invitations/{invitation.id}/accept/", follow=True)

    assert f"You joined {organization.name} as Member." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.is_active
    assert "Invitations waiting for you" not in client.get("/").content.decode()


def test_invitation_page_declines(organization, invitation, outsider):
    client = signed_in(outsider)
    page = client.get(f"/invitations/{invitation.id}/")
    assert page.status_code == 200 and "Accept" in page.content.decode()

    response = client.post(f"/invitations/{invitation.id}/decline/", follow=True)

    assert "You declined the invitation" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == MembershipStatus.DECLINED
    again = client.post(f"/invitations/{invitation.id}/accept/", follow=True)
    assert "You declined this invitation" in again.content.decode()
    invitation.refresh_from_db()
    assert not invitation.is_active


def test_invitation_pages_are_the_invitees_only(invitation, admin, member):
    for someone in (admin, member):
        client = signed_in(someone)
        assert client.get(f"/invitations/{invitation.id}/").status_code == 404
        assert client.post(f"/invitations/{invitation.id}/accept/").status_code == 404
    response = Client().get(f"/invitations/{invitation.id}/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_admin_sees_the_invitation_pending_and_may_withdraw_it(organization, admin, invitation, outsider):
    client = signed_in(admin)
    page = client.get(f"/organizations/{organization.id}/members/").content.decode()
    assert "Invitation pending" in page and "Withdraw invitation" in page

    response = client.post(f"/organizations/{organization.id}/members/{invitation.id}/deactivate/", follow=True)

    assert "was withdrawn" in response.content.decode()
    assert "Invitation withdrawn" in response.content.decode()
    assert signed_in(outsider).post(f"/invitations/{invitation.id}/accept/").status_code == 302
    invitation.refresh_from_db()
    assert not invitation.is_active


def test_staff_invite_too(organization, staff, outsider):
    """Site staff who mean to add someone at once use the admin site; an invitation is an invitation."""
    membership = services.membership_invite(actor=staff, organization=organization, email=outsider.email, role="admin")
    assert membership.is_pending and not membership.is_active


def test_the_demo_and_factories_make_accepted_memberships(organization):
    user = factories.member_of(organization)
    assert Membership.objects.get(user=user).status == MembershipStatus.ACCEPTED
