"""Who may do what to a case: the one place that decides.

Two rules meet here:

1. **Membership**: a user acts for the organizations they belong to. When one
   of them participates in a case, the user has the rights that their
   membership role gives for that participant role (``RIGHTS`` below). BJA is a
   participant too (role ``reviewer``), so a grant manager sees the cases of
   their program through the same join.
2. **Per-object grants** (django-guardian, direct FK tables on ``Case``): a peer
   reviewer assigned to one application, a consultant or a delegate.

``Case.objects.visible_to(user, action)`` answers both: one small query for the
user's memberships, then one case query whose plan suits how many cases the user
reaches (its docstring says how).
"""

from __future__ import annotations

import operator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import reduce

from django.db import models
from django.db.models import Exists, OuterRef, Q, Value

from accounts.models import Membership
from config.errors import NotAllowed, NotFound
from workflow.matrix import (  # The actions are imported from here everywhere.
    ACTIONS,
    EDIT,
    MANAGE,
    REVIEW,
    SCORE,
    VIEW,
    grant_actions,
    granter_needs,
    membership_rights,
)

# The actions, and who holds them, are declared once in workflow.matrix (ACTORS); these tables are built from it.
# RIGHTS: participant role -> action -> membership roles that hold it.
RIGHTS = membership_rights()

# Guardian codename -> the actions it gives. Any grant lets its holder see the case. A peer reviewer's grant gives
# the score right only: BJA's review right would let them decide milestones or work on tasks, in their own name.
GRANT_ACTIONS = grant_actions()

# Guardian codename -> what whoever gives (or takes back) that grant must hold: nobody grants a right they do not
# hold, and only those who run the review (BJA's grant managers) appoint or remove a peer reviewer.
GRANTER_NEEDS = granter_needs()


def reviews_anonymously(rights: set[str]) -> bool:
    """A peer reviewer: the score right and no other way to act on the case.

    Peer reviewers stay anonymous to the applicants and to one another, so they may write nothing outside their
    review (no task, comment, watch or milestone decision would keep their name out of the applicants' sight).
    """
    return SCORE in rights and not rights & {EDIT, REVIEW, MANAGE}


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


# A user whose organizations take part in at least this many cases reaches "many" cases (see visible_to).
MANY_CASES = 500


def _memberships_with_reach(user) -> list[tuple[int, str, bool]]:
    """(organization id, membership role, takes part in MANY_CASES or more) for each active membership.

    One query; the reach is an index probe for the MANY_CASES-th participation, not a count.
    """
    from workflow.models import Participant

    many = Participant.objects.filter(organization=models.OuterRef("organization_id")).order_by()
    return list(
        Membership.objects.filter(user=user, is_active=True, organization__is_active=True)
        .annotate(many=models.Exists(many[MANY_CASES - 1 : MANY_CASES]))
        .values_list("organization_id", "role", "many")
    )


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = VIEW) -> CaseQuerySet:
        """Cases on which `user` may perform `action` (view, edit, review, manage).

        Reads the user's memberships first (one small query) and puts their organization ids into the
        case query as constants, so PostgreSQL estimates from its statistics how many cases each
        organization takes part in. The three sources of access (participation, the user's grants, their
        groups' grants) are then combined in one of two equivalent ways:

        - most users take part in a few dozen cases: a UNION of the three id lists, joined to ``case`` by
          primary key (a partner's newest 50 cases in about 1 ms inside PostgreSQL);
        - a user whose organizations take part in ``MANY_CASES`` or more (a BJA grant manager sees every
          case of the program): ``EXISTS (…) OR EXISTS (…) OR EXISTS (…)`` correlated to the case row,
          which PostgreSQL answers with hashed sub-plans while it walks an ordered index ("newest 50 of
          13,000" stops after the first few hundred cases instead of sorting them all).

        Both forms return the same rows (tests/workflow/test_access.py runs every rule under each).
        """
        return self.filter(case_access(user, action))


def case_access(user, action: str = VIEW, *, case_field: str = "pk") -> Q:
    """``visible_to``'s condition, for cases or for any model that points at one (`case_field` names the column).

    ``Task.objects.filter(case_access(user, case_field="case_id"))`` keeps the tasks of the cases the user
    may see, without the extra ``case_id IN (SELECT id FROM case WHERE …)`` layer that
    ``case__in=Case.objects.visible_to(user).values("id")`` adds (less to build and to plan on hot lists).
    """
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q(pk__isnull=False)  # Everything; not Q(), which an OR would swallow (Q(a) | Q() is Q(a)).
    memberships = _memberships_with_reach(user)
    return _visibility_condition(user, action, memberships, case_field, many=any(m[2] for m in memberships))


def visible_pairs(pairs, action: str = VIEW) -> set[tuple[int, int]]:
    """Which of these (user, case id) pairs hold `action`, as (user id, case id), in one query.

    For code that checks many people against many cases at once (a batch of reminders to deliver, the
    people to tell about a task): one UNION over the three sources, restricted to those users and cases,
    instead of one ``visible_to`` per person.
    """
    from workflow.models import CaseGroupPermission, CaseUserPermission, Participant

    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    pairs = {(user, case_id) for user, case_id in pairs if user is not None and user.is_active}
    found = {(user.pk, case_id) for user, case_id in pairs if user.is_superuser}
    asked = {(user.pk, case_id) for user, case_id in pairs if not user.is_superuser}
    if not asked:
        return found
    users, cases = {user for user, _ in asked}, {case for _, case in asked}
    codenames = codenames_for(action)
    through_membership = Participant.objects.filter(
        _membership_condition(action),
        case_id__in=cases,
        organization__is_active=True,
        organization__memberships__user_id__in=users,
        organization__memberships__is_active=True,
    ).values_list("organization__memberships__user_id", "case_id")
    granted_to_user = CaseUserPermission.objects.filter(
        user_id__in=users, content_object_id__in=cases, permission__codename__in=codenames
    ).values_list("user_id", "content_object_id")
    granted_to_group = CaseGroupPermission.objects.filter(
        group__user__in=users, content_object_id__in=cases, permission__codename__in=codenames
    ).values_list("group__user", "content_object_id")
    rows = through_membership.order_by().union(granted_to_user.order_by(), granted_to_group.order_by())
    return found | (set(rows) & asked)


def _sources(user, action: str, memberships) -> list[tuple[models.QuerySet, str]]:
    """The three sources of access as (rows, their case id column): participation, user and group grants."""
    from workflow.models import CaseGroupPermission, CaseUserPermission, Participant

    codenames = codenames_for(action)
    sources = [
        (CaseUserPermission.objects.filter(user=user, permission__codename__in=codenames), "content_object_id"),
        (CaseGroupPermission.objects.filter(group__user=user, permission__codename__in=codenames), "content_object_id"),
    ]
    participations = _participation_condition(action, memberships)
    if participations is not None:
        sources.insert(0, (Participant.objects.filter(participations), "case_id"))
    return sources


def _visibility_condition(user, action: str, memberships, case_field: str, *, many: bool) -> Q:
    sources = _sources(user, action, memberships)
    if many:
        return reduce(operator.or_, (Exists(rows.filter(**{column: OuterRef(case_field)})) for rows, column in sources))
    ids = [rows.values(column).order_by() for rows, column in sources]
    return Q(**{f"{case_field}__in": ids[0].union(*ids[1:])})


def _participation_condition(action: str, memberships) -> Q | None:
    """Participant rows of the user's organizations whose role, with the member's role, gives `action`."""
    roles_by_organizations: dict[tuple[int, ...], list[str]] = {}
    for participant_role, table in RIGHTS.items():
        organizations = tuple(sorted({organization for organization, role, _ in memberships if role in table[action]}))
        if organizations:
            roles_by_organizations.setdefault(organizations, []).append(participant_role)
    conditions = [
        Q(organization_id__in=organizations, role__in=sorted(roles))
        for organizations, roles in roles_by_organizations.items()
    ]
    return reduce(operator.or_, conditions) if conditions else None


# The second column of case_rights' grant rows: never a membership role, so the two kinds of row stay apart.
_GRANT = ""


def case_rights(*, user, case) -> set[str]:
    """Every action the user may perform on this one case (a Case or its id), from ``visible_to``'s tables.

    One query instead of one ``visible_to`` per action (services call this on every write): the user's
    participating memberships as (participant role, membership role) rows, then, in the same UNION ALL,
    the user's and their groups' grants as (codename, "") rows.
    """

    if user is None or not user.is_authenticated or not user.is_active or case is None:
        return set()
    if user.is_superuser:
        return set(ACTIONS)
    rights: set[str] = set()
    for first, role in case_standing(user=user, case=case):
        if role == _GRANT:
            rights |= GRANT_ACTIONS.get(first, set())
        else:
            rights |= {action for action in ACTIONS if role in RIGHTS[first][action]}
    return rights


def case_standing(*, user, case) -> list[tuple[str, str]]:
    """How the user comes to the case, in one query: (participant role, membership role) rows for their
    participating memberships and (grant codename, "") rows for their and their groups' grants.

    Inside a request (``rights_scope``) the answer is remembered: the abilities an operation declares
    (``workflow.matrix.Ability``) read it again without a query.
    """
    from workflow.models import CaseGroupPermission, CaseUserPermission, Participant

    remembered = _request_rights.get()
    key = ("standing", user.pk, _case_id(case))
    if remembered is not None and key in remembered:
        return remembered[key]
    grant = Value(_GRANT, output_field=models.CharField())
    user_grants = CaseUserPermission.objects.filter(user=user, content_object=case)
    group_grants = CaseGroupPermission.objects.filter(group__user=user, content_object=case)
    held = list(
        Participant.objects.filter(
            case=case,
            organization__is_active=True,
            organization__memberships__user=user,
            organization__memberships__is_active=True,
        )
        .values_list("role", "organization__memberships__role")
        .order_by()
        .union(
            user_grants.values_list("permission__codename", grant).order_by(),
            group_grants.values_list("permission__codename", grant).order_by(),
            all=True,
        )
    )
    if remembered is not None:
        remembered[key] = held
    return held


# The rights one request has checked, by (user id, case id), while a viewset runs it (``rights_scope``): the viewset
# checks an operation's declared right before reading the input, and the service's own ``case_require`` then
# reuses that answer instead of asking again. Rights come from participants, memberships and grants, never from
# the case row, so checking before the service locks the row decides the same; a write that changes who holds
# what (a grant, a new participant) forgets them (``rights_forget``).
_request_rights: ContextVar[dict | None] = ContextVar("request_rights", default=None)


@contextmanager
def rights_scope():
    """Remember the rights checked until the block ends (one API request)."""
    token = _request_rights.set({})
    try:
        yield
    finally:
        _request_rights.reset(token)


def rights_forget() -> None:
    """Who holds what has just changed: nothing checked before this in the request still holds."""
    remembered = _request_rights.get()
    if remembered is not None:
        remembered.clear()


def _case_id(case) -> int | None:
    return case.pk if isinstance(case, models.Model) else case


def rights_remember(*, case, user, rights: set[str]) -> None:
    """Keep the rights just checked on the locked row, for what the same write does next (``rights_checked``)."""
    if user is None:
        return
    if isinstance(case, models.Model):
        case.__dict__.setdefault("_rights_checked", {})[user.pk] = rights
    remembered = _request_rights.get()
    if remembered is not None and _case_id(case) is not None:
        remembered[(user.pk, _case_id(case))] = rights


def _remembered(*, case, user) -> set[str] | None:
    if user is None:
        return None
    checked = case.__dict__.get("_rights_checked", {}).get(user.pk) if isinstance(case, models.Model) else None
    return _request_remembered(case=case, user=user) if checked is None else checked


def rights_checked(*, case, user) -> set[str]:
    """The user's rights on this case: those the write (or its request) checked, or one query."""
    checked = _remembered(case=case, user=user)
    return case_rights(user=user, case=case) if checked is None else checked


def case_require(
    *, user, case, action: str | tuple[str, ...], message: str, not_found: str = "Case not found."
) -> set[str]:
    """The one access gate of every write: 404 unless the user may see the case, 403 unless they may do this.

    `action` is one action or a tuple of actions any of which will do (a task is changed by those who edit the
    case or review it). `case` is the row the caller has just locked (or, from a viewset, its id). Access is
    checked once per request: the rights its viewset checked first are reused (``rights_scope``). Returns the
    user's rights on the case, for the checks that follow.
    """
    rights = _request_remembered(case=case, user=user)
    if rights is None:
        rights = case_rights(user=user, case=case)
    rights_remember(case=case, user=user, rights=rights)
    if VIEW not in rights:
        raise NotFound(not_found)
    wanted = (action,) if isinstance(action, str) else action
    if not rights.intersection(wanted):
        raise NotAllowed(message)
    return rights


def _request_remembered(*, case, user) -> set[str] | None:
    remembered = _request_rights.get()
    if remembered is None or user is None:
        return None
    return remembered.get((user.pk, _case_id(case)))


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


def case_access_exists(user, action: str = VIEW, *, case_field: str = "pk") -> Q:
    """``case_access`` with no query of its own: correlated ``EXISTS`` over the user's participating memberships
    and grants, for a query that must stay one query (the navigation's count of a person's queue).

    ``case_access`` reads the memberships first so that PostgreSQL plans a big list well; this form suits a
    condition checked on a few rows that another condition has already narrowed (the same rule, the same tables:
    tests/workflow/test_access.py compares the two).
    """
    from workflow.models import CaseGroupPermission, CaseUserPermission, Participant

    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q(pk__isnull=False)
    case = OuterRef(case_field)
    codenames = codenames_for(action)
    participation = Participant.objects.filter(
        _membership_condition(action),
        case_id=case,
        organization__is_active=True,
        organization__memberships__user=user,
        organization__memberships__is_active=True,
    )
    granted = CaseUserPermission.objects.filter(user=user, content_object_id=case, permission__codename__in=codenames)
    grouped = CaseGroupPermission.objects.filter(
        group__user=user, content_object_id=case, permission__codename__in=codenames
    )
    return Q(Exists(participation)) | Q(Exists(granted)) | Q(Exists(grouped))


def membership_access(action: str = VIEW, *, case_field: str, organization_field: str, role_field: str) -> Q:
    """Rows naming a case, an organization and a membership role, kept where a member of that organization with
    that role may perform `action` on the case: the participation half of ``case_access``, for one membership
    already known (a queue row held by "the admins of organization 7"), as one index probe per row."""
    from workflow.models import Participant

    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    by_roles: dict[frozenset, list[str]] = {}
    for participant_role, table in RIGHTS.items():
        if table[action]:
            by_roles.setdefault(frozenset(table[action]), []).append(participant_role)
    conditions = [
        Q(**{f"{role_field}__in": sorted(roles)})
        & Q(
            Exists(
                Participant.objects.filter(
                    case_id=OuterRef(case_field), organization_id=OuterRef(organization_field), role__in=sorted(parts)
                )
            )
        )
        for roles, parts in by_roles.items()
    ]
    return reduce(operator.or_, conditions) if conditions else Q(pk__in=[])
