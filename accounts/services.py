"""Organization and membership writes: invite, accept or decline, change role, deactivate, reactivate.

Only an organization's admins (or site staff) may invite, change roles and
deactivate; only the invited person may accept or decline. An organization
always keeps at least one active admin: DOJ's system allows exactly one Entity
Administrator and grantees are stuck when that person leaves; we allow several
and refuse to remove the last.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import (
    STAFF_ONLY_FIELDS,
    Membership,
    MembershipStatus,
    Organization,
    Role,
    SecurityEventKind,
    User,
    validate_role_for_kind,
)
from accounts.security_log import security_event_record
from accounts.selectors import organization_admin_require
from config.errors import Conflict, NotAllowed, NotFound, ServiceError


def members_manage_require(*, actor: User, organization: Organization) -> None:
    """404 to outsiders, 403 to members who are not its admins: who may invite, change roles and deactivate."""
    message = "Only an administrator of this organization can manage its members."
    organization_admin_require(user=actor, organization=organization, message=message)


def _lock_admins(organization: Organization) -> list[int]:
    """Lock the organization's active admin rows so two admins cannot demote each other at once."""
    return list(
        Membership.objects.select_for_update()
        .filter(organization=organization, role=Role.ADMIN, is_active=True, user__is_active=True)
        .values_list("id", flat=True)
    )


def _ensure_other_admin_remains(*, membership: Membership) -> None:
    admins = _lock_admins(membership.organization)
    if admins == [membership.id]:
        raise Conflict(
            "An organization must keep at least one active administrator. Make someone else an administrator first.",
            code="last_admin",
            field="role",
        )


def _log_membership(kind: str, *, actor: User, membership: Membership, role: str) -> None:
    details = {"role": role}
    if kind == SecurityEventKind.ROLE_CHANGED:
        details = {"from": membership.role, "to": role}
    security_event_record(
        kind=kind, actor=actor, user=membership.user, organizations=[membership.organization_id], details=details
    )


@transaction.atomic
def organization_create(*, actor: User, **fields) -> Organization:
    if not (actor.is_staff and actor.is_active):
        raise NotAllowed("Only site staff can create organizations.")
    organization = Organization(**fields)
    organization.full_clean()
    organization.save()
    return organization


def _refuse_staff_only_changes(*, actor: User, organization: Organization, fields: dict) -> None:
    """An admin keeps their organization's details; what it is (kind, Learning Site) only site staff change.

    Sending a staff-only field with its current value is not a change: a client may send the whole object back.
    """
    if actor.is_staff and actor.is_active:
        return
    changed = sorted(name for name in STAFF_ONLY_FIELDS & fields.keys() if fields[name] != getattr(organization, name))
    if changed:
        raise NotAllowed(
            "Only site staff can change an organization's kind or its Learning Site designation.",
            code="staff_only",
            field=changed[0],
        )


@transaction.atomic
def organization_update(*, actor: User, organization: Organization, **fields) -> Organization:
    members_manage_require(actor=actor, organization=organization)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    _refuse_staff_only_changes(actor=actor, organization=organization, fields=fields)
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def membership_invite(
    *, actor: User, organization: Organization, email: str, role: str, full_name: str = ""
) -> Membership:
    """Invite a person to an organization. The membership is pending, and grants nothing, until they accept.

    Someone without an account gets one, with no usable password, and an email with a link to choose a password:
    choosing it accepts. Someone with an account gets an email pointing at the invitation, which they accept or
    decline there or on their dashboard. Inviting again someone who has not answered (or who declined, or left)
    sends a new invitation for the role given.
    """
    members_manage_require(actor=actor, organization=organization)
    validate_role_for_kind(role, organization)
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        # A new person's zone is, until they pick one, their first organization's.
        user = User(email=email, full_name=full_name.strip(), time_zone=organization.time_zone)
        user.set_unusable_password()
        user.full_clean()
        user.save()

    membership = Membership.objects.select_for_update().filter(user=user, organization=organization).first()
    if membership is not None and membership.is_active:
        raise Conflict(f"{email} is already a member of {organization}.", code="already_member", field="email")
    if membership is None:
        membership = Membership(user=user, organization=organization)
    membership.role = role
    membership.status = MembershipStatus.PENDING
    membership.is_active = False
    membership.invited_by = actor
    membership.full_clean()
    membership.save()
    _log_membership(SecurityEventKind.MEMBER_ADDED, actor=actor, membership=membership, role=role)

    from accounts.tasks import send_invitation

    transaction.on_commit(lambda: send_invitation.delay(membership.id))
    return membership


_ANSWERED = {
    MembershipStatus.ACCEPTED: "You have already accepted this invitation.",
    MembershipStatus.DECLINED: "You declined this invitation; its administrator can invite you again.",
    MembershipStatus.WITHDRAWN: "The organization withdrew this invitation.",
}


def _lock_invitation(*, actor: User, membership: Membership) -> Membership:
    """The actor's own invitation, locked and still waiting. Anyone else's is not found (404)."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("organization", "user")
        .filter(pk=membership.pk, user=actor, organization__is_active=True)
        .first()
    )
    if membership is None or not actor.is_active:
        raise NotFound("Invitation not found.")
    if membership.status != MembershipStatus.PENDING:
        raise Conflict(_ANSWERED[membership.status], code="invitation_answered")
    return membership


@transaction.atomic
def membership_accept(*, actor: User, membership: Membership) -> Membership:
    """The invited person joins: from now on the membership counts for access and for conflict-of-interest rules."""
    membership = _lock_invitation(actor=actor, membership=membership)
    membership.status = MembershipStatus.ACCEPTED
    membership.is_active = True
    membership.full_clean()  # The role must still fit the organization's kind.
    membership.save(update_fields=["status", "is_active", "updated_at"])
    _time_zone_follow_first_organization(user=membership.user, membership=membership)
    return membership


def _time_zone_follow_first_organization(*, user: User, membership: Membership) -> None:
    """A person who has not picked a time zone takes their first organization's when they join it."""
    if user.time_zone_chosen or Membership.objects.active().filter(user=user).exclude(pk=membership.pk).exists():
        return
    if user.time_zone != membership.organization.time_zone:
        user.time_zone = membership.organization.time_zone
        user.save(update_fields=["time_zone"])


@transaction.atomic
def user_profile_update(*, user: User, full_name: str | None = None, time_zone: str | None = None) -> User:
    """A person's own name and time zone. A zone set here is theirs: joining an organization no longer moves it."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if full_name is not None:
        user.full_name = full_name.strip()
    if time_zone is not None:
        user.time_zone = time_zone
        user.time_zone_chosen = True
    try:
        user.full_clean(exclude=["password", "email"])
    except ValidationError as error:
        field, problems = next(iter(error.error_dict.items()))
        raise ServiceError(problems[0].messages[0], field=field, code=problems[0].code or "invalid") from None
    user.save(update_fields=["full_name", "time_zone", "time_zone_chosen"])
    return user


@transaction.atomic
def membership_decline(*, actor: User, membership: Membership) -> Membership:
    membership = _lock_invitation(actor=actor, membership=membership)
    membership.status = MembershipStatus.DECLINED
    membership.save(update_fields=["status", "updated_at"])
    return membership


@transaction.atomic
def membership_change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    members_manage_require(actor=actor, organization=membership.organization)
    membership = Membership.objects.select_for_update().select_related("organization", "user").get(pk=membership.pk)
    if membership.role == role:
        return membership
    if membership.role == Role.ADMIN and membership.is_active:
        _ensure_other_admin_remains(membership=membership)
    _log_membership(SecurityEventKind.ROLE_CHANGED, actor=actor, membership=membership, role=role)
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role", "updated_at"])
    return membership


@transaction.atomic
def membership_deactivate(*, actor: User, membership: Membership) -> Membership:
    members_manage_require(actor=actor, organization=membership.organization)
    membership = Membership.objects.select_for_update().select_related("organization", "user").get(pk=membership.pk)
    if membership.status == MembershipStatus.PENDING:
        membership.status = MembershipStatus.WITHDRAWN  # Its link no longer works.
        membership.save(update_fields=["status", "updated_at"])
        _log_membership(SecurityEventKind.MEMBER_REMOVED, actor=actor, membership=membership, role=membership.role)
        return membership
    if not membership.is_active:
        return membership
    if membership.role == Role.ADMIN:
        _ensure_other_admin_remains(membership=membership)
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    _log_membership(SecurityEventKind.MEMBER_REMOVED, actor=actor, membership=membership, role=membership.role)
    return membership


@transaction.atomic
def membership_reactivate(*, actor: User, membership: Membership) -> Membership:
    """Give a deactivated member their access back (an admin's undo of "remove access")."""
    members_manage_require(actor=actor, organization=membership.organization)
    membership = Membership.objects.select_for_update().select_related("organization", "user").get(pk=membership.pk)
    if membership.is_active:
        return membership
    if membership.status != MembershipStatus.ACCEPTED:
        raise Conflict(
            "Only a deactivated member can be reactivated; invite this person again instead.",
            code="not_deactivated",
            field="status",
        )
    if not membership.user.is_active:
        raise Conflict(
            f"The account of {membership.user} is disabled for the whole site; ask site staff.",
            code="account_disabled",
            field="status",
        )
    membership.is_active = True
    membership.full_clean()
    membership.save(update_fields=["is_active", "updated_at"])
    _log_membership(SecurityEventKind.MEMBER_ADDED, actor=actor, membership=membership, role=membership.role)
    return membership


@transaction.atomic
def api_token_create(*, user: User, request=None) -> tuple[AuthToken, str]:
    """A new expiring API token (knox stores only its hash); refused past the per-user limit."""
    User.objects.select_for_update().filter(pk=user.pk).exists()  # Serialize concurrent logins of one user.
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()  # Housekeeping, once per sign-in.
    limit = settings.REST_KNOX.get("TOKEN_LIMIT_PER_USER")
    if limit and AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).count() >= limit:
        raise Conflict(
            f"You already have {limit} active API tokens. Revoke one (DELETE /api/v1/auth/token/) or all "
            "(POST /api/v1/auth/token/all/) first.",
            code="token_limit",
        )
    instance, token = AuthToken.objects.create(user)
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    expiry = instance.expiry.isoformat() if instance.expiry else None
    security_event_record(
        kind=SecurityEventKind.API_TOKEN_CREATED, request=request, actor=user, user=user, details={"expiry": expiry}
    )
    return instance, token


@transaction.atomic
def api_token_revoke(*, user: User, token: AuthToken | None = None) -> int:
    """Revoke one API token of the user, or all of them when `token` is None. Returns how many."""
    tokens = AuthToken.objects.filter(user=user)
    if token is not None:
        tokens = tokens.filter(pk=token.pk)
    count, _ = tokens.delete()
    security_event_record(
        kind=SecurityEventKind.API_TOKEN_REVOKED, actor=user, user=user, details={"count": count, "all": token is None}
    )
    return count
