"""Membership rules: who may invite, change roles and deactivate, and the last-admin rule."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import Membership, OrganizationKind, Role, User
from config.errors import Conflict, NotAllowed, NotFound
from tests import factories


@pytest.fixture
def federal(db):
    return factories.OrganizationFactory(name="Bureau of Justice Assistance", kind=OrganizationKind.FEDERAL)


def test_admin_invites_a_new_person_who_gets_an_account_and_an_email(
    organization, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_invite(
            actor=admin, organization=organization, email="New.Person@Example.org", role=Role.MEMBER
        )
    assert membership.user.email == "new.person@example.org"
    assert not membership.user.has_usable_password()
    assert membership.is_pending
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
    assert mail.outbox[0].alternatives, "the invitation has an HTML part"


def test_inviting_an_existing_user_adds_a_membership_without_a_new_account(organization, admin, outsider):
    membership = services.membership_invite(actor=admin, organization=organization, email=outsider.email, role="viewer")
    assert membership.user == outsider
    assert outsider.memberships.count() == 2, "one account, several organizations"


def test_inviting_an_active_member_again_is_a_conflict(organization, admin, member):
    with pytest.raises(Conflict) as error:
        services.membership_invite(actor=admin, organization=organization, email=member.email, role=Role.ADMIN)
    assert error.value.code == "already_member"


def test_a_deactivated_member_can_be_invited_back(organization, admin, member):
    membership = Membership.objects.get(user=member)
    services.membership_deactivate(actor=admin, membership=membership)
    again = services.membership_invite(actor=admin, organization=organization, email=member.email, role=Role.VIEWER)
    # An existing account is invited, never added: the member is back only once they accept (test_invitations.py).
    assert again.pk == membership.pk and again.is_pending and not again.is_active and again.role == Role.VIEWER
    joined = services.membership_accept(actor=member, membership=again)
    assert joined.pk == membership.pk and joined.is_active and joined.role == Role.VIEWER


@pytest.mark.parametrize("role", [Role.GRANT_MANAGER, Role.PEER_REVIEWER, "chief"])
def test_role_must_fit_the_organization_kind(organization, admin, role):
    with pytest.raises(ValidationError) as error:
        services.membership_invite(actor=admin, organization=organization, email="x@example.org", role=role)
    assert "role" in error.value.message_dict
    assert not User.objects.filter(email="x@example.org").exists(), "nothing half-written"


def test_federal_organizations_have_grant_managers_and_peer_reviewers(federal, staff):
    membership = services.membership_invite(
        actor=staff, organization=federal, email="gm@bja.example", role="grant_manager"
    )
    assert membership.role == Role.GRANT_MANAGER


def test_outsiders_are_told_nothing_and_members_are_refused(organization, member, viewer, outsider):
    with pytest.raises(NotFound):
        services.membership_invite(actor=outsider, organization=organization, email="a@example.org", role="member")
    for actor in (member, viewer):
        with pytest.raises(NotAllowed):
            services.membership_invite(actor=actor, organization=organization, email="a@example.org", role="member")
    assert not User.objects.filter(email="a@example.org").exists()


def test_site_staff_may_manage_any_organization(organization, staff, member):
    membership = Membership.objects.get(user=member)
    services.membership_change_role(actor=staff, membership=membership, role=Role.ADMIN)
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_the_last_admin_cannot_be_demoted_or_removed(organization, admin):
    membership = Membership.objects.get(user=admin)
    with pytest.raises(Conflict) as error:
        services.membership_change_role(actor=admin, membership=membership, role=Role.MEMBER)
    assert error.value.code == "last_admin"
    with pytest.raises(Conflict):
        services.membership_deactivate(actor=admin, membership=membership)
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN and membership.is_active


def test_an_admin_can_step_down_when_another_admin_remains(organization, admin, member):
    services.membership_change_role(actor=admin, membership=Membership.objects.get(user=member), role=Role.ADMIN)
    services.membership_change_role(actor=admin, membership=Membership.objects.get(user=admin), role=Role.MEMBER)
    assert Membership.objects.get(user=admin).role == Role.MEMBER


def test_an_inactive_user_does_not_count_as_the_remaining_admin(organization, admin):
    other = factories.member_of(organization, Role.ADMIN)
    other.is_active = False
    other.save()
    with pytest.raises(Conflict):
        services.membership_deactivate(actor=admin, membership=Membership.objects.get(user=admin))


def test_deactivated_members_lose_access(organization, admin, member):
    services.membership_deactivate(actor=admin, membership=Membership.objects.get(user=member))
    assert not organization.__class__.objects.visible_to(member).exists()


@pytest.mark.parametrize("fields", [{"kind": OrganizationKind.FEDERAL}, {"is_learning_site": True}])
def test_only_site_staff_change_what_an_organization_is(organization, admin, staff, fields):
    with pytest.raises(NotAllowed) as error:
        services.organization_update(actor=admin, organization=organization, **fields)
    assert error.value.field == next(iter(fields))
    organization.refresh_from_db()
    assert organization.kind == OrganizationKind.LAW_ENFORCEMENT and not organization.is_learning_site

    updated = services.organization_update(actor=staff, organization=organization, **fields)
    assert all(getattr(updated, name) == value for name, value in fields.items())
