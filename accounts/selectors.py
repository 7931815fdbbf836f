from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from accounts.models import Membership, MembershipStatus, Organization, Role, User
from config.errors import NotAllowed, NotFound


def organization_list_for_user(*, user: User) -> QuerySet[Organization]:
    return Organization.objects.visible_to(user).annotate(
        member_count=Count("memberships", filter=Q(memberships__is_active=True))
    )


def membership_list(*, organization: Organization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user", "organization", "invited_by")


def membership_role(*, user: User, organization: Organization) -> str | None:
    """The user's active role in the organization, or None."""
    membership = Membership.objects.active().filter(user=user, organization=organization).only("role").first()
    return membership.role if membership else None


def user_can_administer(*, user: User, organization: Organization) -> bool:
    if user.is_staff and user.is_active:
        return True
    return membership_role(user=user, organization=organization) == Role.ADMIN


def user_memberships(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.active().filter(user=user).select_related("organization")


def request_memberships(request) -> list[Membership]:
    """The signed-in user's active memberships, read once per page with their waiting invitations (one query): the
    navigation, the dashboard and the access reads of its sections share them (``workflow.access.memberships``,
    ``membership_rows``, ``request_invitations``)."""
    user = request.user
    rows = getattr(user, "_membership_rows", None)
    if rows is None:
        both = list(
            Membership.objects.filter(user=user, organization__is_active=True)
            .filter(Q(is_active=True) | Q(status=MembershipStatus.PENDING))
            .select_related("organization", "invited_by")
        )
        rows = [membership for membership in both if membership.is_active and user.is_active]
        waiting = [membership for membership in both if membership.status == MembershipStatus.PENDING]
        user._membership_rows, user._invitation_rows = (
            rows,
            sorted(waiting, key=lambda membership: (-membership.updated_at.timestamp(), membership.pk)),
        )
        user._memberships = [(membership.organization_id, membership.role) for membership in rows]
    return rows


def request_invitations(request) -> list[Membership]:
    """The signed-in user's invitations waiting for an answer (``invitation_list_for_user``), read with
    ``request_memberships``."""
    request_memberships(request)
    return request.user._invitation_rows


def membership_rows(user: User) -> list[Membership]:
    """The user's active memberships with their organizations: those this page read already, else one query."""
    rows = getattr(user, "_membership_rows", None)
    return list(user_memberships(user=user)) if rows is None else rows


def organization_admin_require(*, user: User, organization: Organization, message: str) -> None:
    """The organization-level gate: outsiders learn nothing (404); members who are not admins get 403 (`message`)."""
    if user.is_staff and user.is_active:
        return
    role = membership_role(user=user, organization=organization)
    if role is None:
        raise NotFound("Organization not found.")
    if role != Role.ADMIN:
        raise NotAllowed(message)


def invitation_list_for_user(*, user: User, waiting_only: bool = True) -> QuerySet[Membership]:
    """The user's invitations: those waiting for an answer, or (`waiting_only=False`) every one, answered or not.

    Looking one up among all of them lets a second answer be told "already answered" (409) rather than "not
    found"; nobody else's invitation is ever in the list (404).
    """
    rows = Membership.objects.filter(user=user, organization__is_active=True)
    if waiting_only:
        rows = rows.pending()
    return rows.select_related("organization", "invited_by").order_by("-updated_at", "id")
