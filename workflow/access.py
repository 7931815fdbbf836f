"""Who may do what to a case: the one place that decides.

Two rules meet here:

1. **Membership**: a user acts for the organizations they belong to. When one
   of them participates in a case, the user has the rights that their
   membership role gives for that participant role (``RIGHTS`` below). BJA is a
   participant too (role ``reviewer``), so a grant manager sees the cases of
   their program through the same join.
2. **Per-object grants** (django-guardian, direct FK tables on ``Case``): a peer
   reviewer assigned to one application, a consultant or a delegate.

``Case.objects.visible_to(user, action)`` answers both in one SQL query whose
plan starts from the user's few memberships and grants (a UNION of three small
id lists joined to ``case`` by primary key) rather than scanning every case.
"""

from __future__ import annotations

import operator
from functools import reduce

from django.db import models
from django.db.models import Q

from accounts.models import Membership, Role

VIEW, EDIT, REVIEW, MANAGE = "view", "edit", "review", "manage"
ACTIONS = (VIEW, EDIT, REVIEW, MANAGE)

# Participant role -> action -> membership roles that hold it.
_PARTY = {
    VIEW: {Role.ADMIN, Role.MEMBER, Role.VIEWER},
    EDIT: {Role.ADMIN, Role.MEMBER},
    REVIEW: set(),
    MANAGE: {Role.ADMIN},
}
_REVIEWING_AGENCY = {
    VIEW: {Role.ADMIN, Role.MEMBER, Role.VIEWER, Role.GRANT_MANAGER},
    EDIT: set(),
    REVIEW: {Role.GRANT_MANAGER},
    MANAGE: {Role.GRANT_MANAGER},
}
RIGHTS = {"lead": _PARTY, "co_applicant": _PARTY, "partner": _PARTY, "reviewer": _REVIEWING_AGENCY}

# Guardian codename -> the actions it gives. Any grant lets its holder see the case.
GRANT_ACTIONS = {
    "view_case": {VIEW},
    "change_case": {VIEW, EDIT},
    "review_case": {VIEW, REVIEW},
    "manage_case": {VIEW, EDIT, MANAGE},
}


def codenames_for(action: str) -> list[str]:
    return [codename for codename, actions in GRANT_ACTIONS.items() if action in actions]


def _membership_condition(action: str) -> Q:
    """Participant rows whose role, with the member's role, gives `action` (same membership join)."""
    by_roles: dict[frozenset, list[str]] = {}
    for participant_role, table in RIGHTS.items():
        if table[action]:
            by_roles.setdefault(frozenset(table[action]), []).append(participant_role)
    if not by_roles:
        return Q(pk__in=[])
    return reduce(
        operator.or_,
        (
            Q(role__in=sorted(parts), organization__memberships__role__in=sorted(roles))
            for roles, parts in by_roles.items()
        ),
    )


def user_organization_ids(user, *, kind: str | None = None) -> models.QuerySet:
    """Ids of the user's active organizations, as a subquery."""
    memberships = Membership.objects.active().filter(user=user)
    if kind:
        memberships = memberships.filter(organization__kind=kind)
    return memberships.values("organization_id")


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = VIEW) -> CaseQuerySet:
        """Cases on which `user` may perform `action` (view, edit, review, manage)."""
        if action not in ACTIONS:
            raise ValueError(f"Unknown action {action!r}")
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()

        from workflow.models import CaseGroupPermission, CaseUserPermission, Participant

        through_membership = (
            Participant.objects.filter(
                _membership_condition(action),
                organization__is_active=True,
                organization__memberships__user=user,
                organization__memberships__is_active=True,
            )
            .values("case_id")
            .order_by()
        )
        codenames = codenames_for(action)
        granted_to_user = (
            CaseUserPermission.objects.filter(user=user, permission__codename__in=codenames)
            .values("content_object_id")
            .order_by()
        )
        granted_to_group = (
            CaseGroupPermission.objects.filter(group__user=user, permission__codename__in=codenames)
            .values("content_object_id")
            .order_by()
        )
        return self.filter(id__in=through_membership.union(granted_to_user, granted_to_group))


def case_rights(*, user, case) -> set[str]:
    """Every action the user may perform on this one case, from the same tables as ``visible_to``.

    Two small queries (the user's participating memberships, then the user's and groups' grants)
    instead of one ``visible_to`` query per action: services call this on every write.
    """
    from workflow.models import CaseGroupPermission, CaseUserPermission, Participant

    if user is None or not user.is_authenticated or not user.is_active or case is None:
        return set()
    if user.is_superuser:
        return set(ACTIONS)
    roles = Participant.objects.filter(
        case=case,
        organization__is_active=True,
        organization__memberships__user=user,
        organization__memberships__is_active=True,
    ).values_list("role", "organization__memberships__role")
    rights = {
        action for participant_role, role in roles for action in ACTIONS if role in RIGHTS[participant_role][action]
    }
    codenames = (
        CaseUserPermission.objects.filter(user=user, content_object=case)
        .values_list("permission__codename", flat=True)
        .union(
            CaseGroupPermission.objects.filter(group__user=user, content_object=case).values_list(
                "permission__codename", flat=True
            )
        )
    )
    for codename in codenames:
        rights |= GRANT_ACTIONS.get(codename, set())
    return rights


def acting_organizations(*, user, case, action: str = EDIT) -> list:
    """The user's organizations that participate in the case with the right to `action`."""
    from workflow.models import Participant

    return [
        participant.organization
        for participant in Participant.objects.filter(
            _membership_condition(action),
            case=case,
            organization__is_active=True,
            organization__memberships__user=user,
            organization__memberships__is_active=True,
        ).select_related("organization")
    ]
