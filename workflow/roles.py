"""Roles in a case, as the people who hold them: whom a stage or a step waits on, whom a change concerns.

A declaration of "who acts next" (``workflow.routing``) or "who is told" names roles, never people. This
module turns a role into the users who hold it on a batch of cases, in one query per role::

    members = role_members(LEAD_ADMINS, case_ids)   # {case id: {user id, ...}}

The engine's own roles come from participation and per-object grants. A domain app registers the roles
only it knows from its ``AppConfig.ready()`` (the award's Authorized Representative, a Learning Site's TA
coordinators, the organization that asked for TA)::

    role_register(CaseRole("authorized_representative", "the Authorized Representative", members=...))

Who holds a role is not who may see the case: callers that show or send something still ask
``workflow.access`` (``visible_pairs``) at that moment, as the outbox does.

The reverse direction, "which cases does this user hold the role on", is what a queue needs, and reading
every case's members to answer it would not scale. So a role also says who holds it as ``Holder`` rows: an
organization with the membership roles that count (``Holder(organization_id=7, membership_role="admin")``),
or one user (``Holder(user_id=42)``). A table of open items keeps those rows beside each item, and a user's
items are then one join with their active memberships (``reminders.queue``): whoever joins the organization
later holds the role at once, whoever leaves no longer does, with no row to rewrite.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from accounts.models import Role

Members = dict[int, set[int]]  # case id -> user ids


@dataclass(frozen=True)
class Holder:
    """Who holds a role on one case: the members of an organization with one membership role, or one user."""

    organization_id: int | None = None
    membership_role: str = ""
    user_id: int | None = None


Holders = dict[int, set[Holder]]  # case id -> holders


@dataclass(frozen=True)
class CaseRole:
    """key: stable name used in declarations; label: how a sentence names it ("the lead agency's admins");
    members(case_ids) -> {case id: user ids} in one query for the whole batch;
    holders(case_ids) -> {case id: Holder rows} in one query, the same people as organizations and users
    (None: the role cannot be queued, only notified)."""

    key: str
    label: str
    members: Callable[[list[int]], Members]
    holders: Callable[[list[int]], Holders] | None = None


def participant_members(
    case_ids: Iterable[int], *, participant_roles: Iterable[str], membership_roles: Iterable[str], **where
) -> Members:
    """Active members with one of `membership_roles` of the organizations taking part with `participant_roles`
    (`where`: more conditions on the participant, e.g. ``organization__is_learning_site=True``)."""
    from workflow.models import Participant

    found: Members = defaultdict(set)
    rows = Participant.objects.filter(
        case_id__in=set(case_ids),
        role__in=list(participant_roles),
        organization__is_active=True,
        organization__memberships__is_active=True,
        organization__memberships__user__is_active=True,
        organization__memberships__role__in=list(membership_roles),
        **where,
    ).values_list("case_id", "organization__memberships__user_id")
    for case_id, user_id in rows:
        found[case_id].add(user_id)
    return found


def granted_users(case_ids: Iterable[int], *, codename: str) -> Members:
    """Active users holding a per-object grant (e.g. ``review_case``: the assigned peer reviewers)."""
    from workflow.models import CaseUserPermission

    found: Members = defaultdict(set)
    rows = CaseUserPermission.objects.filter(
        content_object_id__in=set(case_ids), permission__codename=codename, user__is_active=True
    ).values_list("content_object_id", "user_id")
    for case_id, user_id in rows:
        found[case_id].add(user_id)
    return found


def participant_holders(
    case_ids: Iterable[int], *, participant_roles: Iterable[str], membership_roles: Iterable[str], **where
) -> Holders:
    """``participant_members`` as holders: each participating organization once per membership role."""
    from workflow.models import Participant

    found: Holders = defaultdict(set)
    rows = Participant.objects.filter(
        case_id__in=set(case_ids), role__in=list(participant_roles), organization__is_active=True, **where
    ).values_list("case_id", "organization_id")
    for case_id, organization_id in rows:
        found[case_id] |= {Holder(organization_id=organization_id, membership_role=role) for role in membership_roles}
    return found


def granted_holders(case_ids: Iterable[int], *, codename: str) -> Holders:
    return {
        case_id: {Holder(user_id=user_id) for user_id in users}
        for case_id, users in granted_users(case_ids, codename=codename).items()
    }


def holders_members(holders: Iterable[Holder], *, by_holder: bool = False):
    """The active users the holders stand for, in one or two queries: a set, or {holder: user ids} with
    `by_holder`."""
    from accounts.models import Membership, User

    holders = list(holders)
    pairs = {(h.organization_id, h.membership_role) for h in holders if h.organization_id is not None}
    wanted = {h.user_id for h in holders if h.user_id is not None}
    users = set(User.objects.filter(pk__in=wanted, is_active=True).values_list("pk", flat=True)) if wanted else set()
    found: dict[Holder, set[int]] = {Holder(user_id=user): {user} for user in users}
    if pairs:
        rows = (
            Membership.objects.active()
            .filter(organization_id__in={org for org, _ in pairs}, role__in={role for _, role in pairs})
            .values_list("organization_id", "role", "user_id")
        )
        for org, role, user in rows:
            if (org, role) in pairs:
                found.setdefault(Holder(organization_id=org, membership_role=role), set()).add(user)
    if by_holder:
        return found
    return {user for members in found.values() for user in members}


def _party(participant_roles: tuple[str, ...], membership_roles: tuple[str, ...]) -> dict:
    def members(case_ids: list[int]) -> Members:
        return participant_members(case_ids, participant_roles=participant_roles, membership_roles=membership_roles)

    def holders(case_ids: list[int]) -> Holders:
        return participant_holders(case_ids, participant_roles=participant_roles, membership_roles=membership_roles)

    return {"members": members, "holders": holders}


_WORKING = (Role.ADMIN, Role.MEMBER)
_OTHERS = ("co_applicant", "partner")

LEAD_ADMINS = CaseRole("lead_admins", "the lead agency's admins", **_party(("lead",), (Role.ADMIN,)))
LEAD_MEMBERS = CaseRole("lead_members", "the lead agency's staff", **_party(("lead",), _WORKING))
PARTNER_ADMINS = CaseRole("partner_admins", "each partner's admins", **_party(_OTHERS, (Role.ADMIN,)))
PARTNER_MEMBERS = CaseRole("partner_members", "each partner's staff", **_party(_OTHERS, _WORKING))
PARTICIPANT_MEMBERS = CaseRole(
    "participant_members", "everyone working on the case", **_party(("lead", *_OTHERS), _WORKING)
)
GRANT_MANAGERS = CaseRole("grant_managers", "BJA's grant managers", **_party(("reviewer",), (Role.GRANT_MANAGER,)))
ASSIGNED_REVIEWERS = CaseRole(
    "assigned_reviewers",
    "the assigned peer reviewers",
    lambda case_ids: granted_users(case_ids, codename="review_case"),
    lambda case_ids: granted_holders(case_ids, codename="review_case"),
)


class RoleRegistry:
    def __init__(self) -> None:
        self._roles: dict[str, CaseRole] = {}

    def register(self, role: CaseRole) -> CaseRole:
        self._roles[role.key] = role
        return role

    def unregister(self, key: str) -> None:
        self._roles.pop(key, None)

    def get(self, key: str | CaseRole) -> CaseRole:
        if isinstance(key, CaseRole):
            return key
        try:
            return self._roles[key]
        except KeyError:
            raise LookupError(f"No case role is registered as {key!r}") from None

    def __iter__(self):
        return iter(list(self._roles.values()))


roles = RoleRegistry()
for _role in (
    LEAD_ADMINS,
    LEAD_MEMBERS,
    PARTNER_ADMINS,
    PARTNER_MEMBERS,
    PARTICIPANT_MEMBERS,
    GRANT_MANAGERS,
    ASSIGNED_REVIEWERS,
):
    roles.register(_role)


def role_register(role: CaseRole) -> CaseRole:
    return roles.register(role)


def role_members(role: str | CaseRole, case_ids: Iterable[int]) -> Members:
    """The users holding `role` on each of these cases (a case nobody holds it on is absent)."""
    ids = list(set(case_ids))
    return roles.get(role).members(ids) if ids else {}


def role_holders(role: str | CaseRole, case_ids: Iterable[int]) -> Holders:
    """Who holds `role` on each of these cases, as organizations and users (``Holder``)."""
    found = roles.get(role)
    if found.holders is None:
        raise LookupError(f"Case role {found.key!r} declares no holders, so nothing can wait on it")
    ids = list(set(case_ids))
    return found.holders(ids) if ids else {}
