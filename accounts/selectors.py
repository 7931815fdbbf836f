from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import Membership, Organization, Role, User


def organization_list_for_user(*, user: User) -> QuerySet[Organization]:
    return Organization.objects.visible_to(user).annotate(
        member_count=Count("memberships", filter=Q(memberships__is_active=True))
    )


def organization_get_for_user(*, user: User, organization_id: int) -> Organization:
    """The organization, or ``Organization.DoesNotExist`` when the user may not see it (answer 404)."""
    return organization_list_for_user(user=user).get(pk=organization_id)


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


def user_list_with_memberships() -> QuerySet[User]:
    return User.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.active().select_related("organization"))
    )
