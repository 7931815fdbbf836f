"""Who may do what to a case: the one place that decides.

Two rules meet here:

1. **Membership**: a user acts for the organizations they belong to. When one
   of them participates in a case, the user has the rights that their
   membership role gives for that participant role (``RIGHTS`` below). BJA is a
   participant too (role ``reviewer``), so a grant manager sees the cases of
   their program through the same join.
2. **Per-object grants** (django-guardian, direct FK tables on ``Case``): a peer
   reviewer assigned to one application, a consultant or a delegate.

``Case.objects.visible_to(user, action)`` answers both with one indexed join: the
rule is materialised per (user, case) in ``Reach`` by database triggers, in the
transaction of every change that moves it (the end of this module).
"""

from __future__ import annotations

import operator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import reduce
from typing import NamedTuple

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


def memberships(user) -> list[tuple[int, str]]:
    """(organization id, membership role) of the user's active memberships: those the API's authentication read
    with the token (``accounts.auth.TokenAuthentication``, fresh on every request), else one query."""
    known = getattr(user, "_memberships", None)
    if known is not None:
        return known
    return list(Membership.objects.active().filter(user=user).values_list("organization_id", "role"))


def organization_ids(user) -> list[int]:
    """Ids of the user's active organizations (``memberships``)."""
    return list(dict.fromkeys(organization for organization, _ in memberships(user)))


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
        """Cases on which `user` may perform `action` (view, edit, review, manage, score).

        One indexed join with the materialised reach (``Reach``: the rule below, kept by database triggers);
        ``case_access_by_rule`` is the same rule read from its source tables, which the tests compare it with.
        """
        return self.filter(case_access(user, action))


def case_access(user, action: str = VIEW, *, case_field: str = "pk") -> Q:
    """``visible_to``'s condition, for cases or for any model that points at one (`case_field` names the column).

    One indexed probe of the materialised reach (``Reach``, below): ``case_field IN (the user's reach rows with
    that action)``. ``Task.objects.filter(case_access(user, case_field="case_id"))`` keeps the tasks of the cases
    the user may see. PostgreSQL plans it from the reach table's statistics for that user: a partner's 76 rows are
    read first and joined, a grant manager's 13,000 hashed while the list's index is walked.
    """
    found = _trivial(user, action)
    if found is not None:
        return found
    return Q(**{f"{case_field}__in": _reach_rows(user, action).values("case_id")})


def visible_count_rows(user, action: str = VIEW) -> models.QuerySet | None:
    """Rows as many as ``visible_to(user, action)``'s cases, cheaper to count (the reach rows themselves); None for
    a superuser, who reaches every case through no row."""
    if _trivial(user, action) is not None:
        return None
    return _reach_rows(user, action)


def _trivial(user, action: str) -> Q | None:
    """The condition for who needs no table: nobody, or a superuser (everything)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q(pk__isnull=False)  # Everything; not Q(), which an OR would swallow (Q(a) | Q() is Q(a)).
    return None


def _reach_rows(user, action: str, **lookups) -> models.QuerySet:
    from workflow.models import Reach

    rows = Reach.objects.filter(user_id=user.pk if user is not None else None, **lookups)
    return rows if action == VIEW else rows.filter(**{action: True})


def case_access_by_rule(user, action: str = VIEW, *, case_field: str = "pk") -> Q:
    """The rule itself, read from participants, memberships and grants rather than from the reach table.

    The reach triggers derive their rows from the same tables and tables of rights; this form is the reference
    that ``tests/workflow/test_reach.py`` compares the table with after random changes.
    """
    found = _trivial(user, action)
    if found is not None:
        return found
    memberships = _memberships_with_reach(user)
    return _visibility_condition(user, action, memberships, case_field, many=any(m[2] for m in memberships))


def visible_pairs(pairs, action: str = VIEW) -> set[tuple[int, int]]:
    """Which of these (user, case id) pairs hold `action`, as (user id, case id), in one query.

    For code that checks many people against many cases at once (a batch of reminders to deliver, the
    people to tell about a task): one probe of the reach table for those users and cases, instead of one
    ``visible_to`` per person.
    """
    from workflow.models import Reach

    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    pairs = {(user, case_id) for user, case_id in pairs if user is not None and user.is_active}
    found = {(user.pk, case_id) for user, case_id in pairs if user.is_superuser}
    asked = {(user.pk, case_id) for user, case_id in pairs if not user.is_superuser}
    if not asked:
        return found
    rows = Reach.objects.filter(user_id__in={user for user, _ in asked}, case_id__in={case for _, case in asked})
    if action != VIEW:
        rows = rows.filter(**{action: True})
    return found | (set(rows.values_list("user_id", "case_id")) & asked)


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
    """Every action the user may perform on this one case (a Case or its id): one primary-key probe of the reach
    table (services call this on every write)."""
    if user is None or not user.is_authenticated or not user.is_active or case is None:
        return set()
    if user.is_superuser:
        return set(ACTIONS)
    flags = list(_reach_rows(user, VIEW, case_id=_case_id(case)).values_list(*_REACH_FLAGS)[:1])
    if not flags:
        return set()
    return {VIEW} | {action for action, held in zip(_REACH_FLAGS, flags[0], strict=True) if held}


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
    """``case_access`` as a correlated ``EXISTS`` with no query of its own, for a condition checked on a few rows that
    another condition has already narrowed (the navigation's count of a person's queue): one primary-key probe of
    the reach table per row."""
    found = _trivial(user, action)
    if found is not None:
        return found
    return Q(Exists(_reach_rows(user, action, case_id=OuterRef(case_field))))


def reach_sql(case_column: str, action: str = VIEW) -> str:
    """``case_access_exists`` as SQL for a hand-written query on a hot path (the queue): true when the user, the one
    ``%s`` parameter, reaches the case in `case_column` with `action`; one primary-key probe of the reach table."""
    from workflow.models import Reach

    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    flag = "" if action == VIEW else f" AND r.{action}"
    table = Reach._meta.db_table
    return f"EXISTS (SELECT 1 FROM {table} r WHERE r.user_id = %s AND r.case_id = {case_column}{flag})"  # nosec B608


def participation_sql(case_column: str, role: str, action: str = VIEW) -> tuple[str, list] | None:
    """``participations`` as SQL for a hand-written query: true when the organization, the first ``%s`` parameter,
    takes part in the case in `case_column` in a role that gives membership `role` the right to `action`; the
    parameters that follow it are returned. None when that membership role gives the right nowhere."""
    from workflow.models import Participant

    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    parts = sorted(part for part, table in RIGHTS.items() if role in table[action])
    if not parts:
        return None
    sql = (
        f"EXISTS (SELECT 1 FROM {Participant._meta.db_table} p WHERE p.case_id = {case_column}"  # nosec B608
        f" AND p.organization_id = %s AND p.role IN ({', '.join(['%s'] * len(parts))}))"
    )
    return sql, parts


def participations(organization: int, role: str, action: str = VIEW) -> models.QuerySet:
    """Ids of the cases where `organization` takes part in a role that gives its members with membership `role` the
    right to `action` (the participation half of ``case_access``, for one membership already known), as a
    subquery."""
    from workflow.models import Participant

    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    parts = sorted(part for part, table in RIGHTS.items() if role in table[action])
    return Participant.objects.filter(organization_id=organization, role__in=parts).values("case_id")


# ---------------------------------------------------------------------------------------------------------------
# Materialised reach (``workflow.models.Reach``): the rule above, kept as rows by database triggers.
#
# One row per (user, case) the user may view, with a flag for each further action. The triggers below recompute the
# rows a change can move, in the transaction of that change, from the same tables and the same RIGHTS and
# GRANT_ACTIONS as the rule: a participant added or removed (that organization's members on that case), a
# membership added, changed or removed (that user on that organization's cases), an organization switched off or on
# (its members on its cases), a grant given or taken back, a user joining or leaving a group. No service writes the
# table, so no code path can forget it; ``tests/workflow/test_reach.py`` compares it with the rule after random
# changes made every way (services, ``update()``, bulk deletes, raw SQL).
#
# The SQL is generated here from RIGHTS and GRANT_ACTIONS: role names and codenames are the code's own constants,
# never input, so building it with f-strings is safe (hence the ``nosec`` marks). ``reach_install`` (run after
# every ``migrate``) puts the triggers in place and rebuilds the table when their SQL changed (a new right in the
# matrix), so the rows always follow the rule in the code.
# ---------------------------------------------------------------------------------------------------------------

_REACH_FLAGS = (EDIT, REVIEW, MANAGE, SCORE)  # VIEW is the row itself.


def _tables() -> dict[str, str]:
    from django.contrib.auth.models import Permission

    from accounts.models import Organization, User
    from workflow.models import Case, CaseGroupPermission, CaseUserPermission, Participant, Reach

    return {
        "reach": Reach._meta.db_table,
        "case": Case._meta.db_table,
        "participant": Participant._meta.db_table,
        "membership": Membership._meta.db_table,
        "organization": Organization._meta.db_table,
        "user_grant": CaseUserPermission._meta.db_table,
        "group_grant": CaseGroupPermission._meta.db_table,
        "user_groups": User.groups.through._meta.db_table,
        "permission": Permission._meta.db_table,
    }


def _listed(values) -> str:
    return ", ".join("'" + str(value).replace("'", "''") + "'" for value in sorted(values))


def _participation_flag(action: str) -> str:
    """SQL true when participant ``p``'s role, with membership ``m``'s role, gives `action`."""
    conditions = [
        f"(p.role = '{participant_role}' AND m.role IN ({_listed(table[action])}))"
        for participant_role, table in sorted(RIGHTS.items())
        if table[action]
    ]
    return f"CASE WHEN {' OR '.join(conditions)} THEN 1 ELSE 0 END" if conditions else "0"


def _grant_flag(action: str) -> str:
    """SQL true when permission ``a``'s codename gives `action`."""
    codenames = codenames_for(action)
    return f"CASE WHEN a.codename IN ({_listed(codenames)}) THEN 1 ELSE 0 END" if codenames else "0"


def _reach_statements(users: str | None, cases: str | None) -> list[str]:
    """DELETE and INSERT statements that recompute the reach of the users IN (`users`) on the cases IN (`cases`)
    (SQL lists or sub-selects; None: all)."""
    t = _tables()

    def scope(user_column: str, case_column: str) -> str:
        parts = [f"{user_column} IN ({users})" if users else "", f"{case_column} IN ({cases})" if cases else ""]
        return " AND ".join(part for part in parts if part) or "1 = 1"

    actions = (VIEW, *_REACH_FLAGS)
    sources = " UNION ALL ".join(
        [
            "SELECT m.user_id AS user_id, p.case_id AS case_id, "
            + ", ".join(f"{_participation_flag(action)} AS {action}" for action in actions)
            + f" FROM {t['participant']} p JOIN {t['membership']} m ON m.organization_id = p.organization_id"
            f" JOIN {t['organization']} o ON o.id = p.organization_id"
            f" WHERE m.is_active AND o.is_active AND {scope('m.user_id', 'p.case_id')}",
            "SELECT g.user_id, g.content_object_id, "
            + ", ".join(_grant_flag(action) for action in actions)
            + f" FROM {t['user_grant']} g JOIN {t['permission']} a ON a.id = g.permission_id"
            f" WHERE {scope('g.user_id', 'g.content_object_id')}",
            "SELECT ug.user_id, g.content_object_id, "
            + ", ".join(_grant_flag(action) for action in actions)
            + f" FROM {t['group_grant']} g JOIN {t['user_groups']} ug ON ug.group_id = g.group_id"
            f" JOIN {t['permission']} a ON a.id = g.permission_id"
            f" WHERE {scope('ug.user_id', 'g.content_object_id')}",
        ]
    )
    flags = ", ".join(f"MAX(s.{action}) = 1" for action in _REACH_FLAGS)
    return [
        f"DELETE FROM {t['reach']} WHERE {scope('user_id', 'case_id')}",  # nosec B608 (constants, see above)
        f"INSERT INTO {t['reach']} (user_id, case_id, opened_at, {', '.join(_REACH_FLAGS)})"  # nosec B608
        f" SELECT s.user_id, s.case_id, c.opened_at, {flags} FROM ({sources}) s"
        f" JOIN {t['case']} c ON c.id = s.case_id"
        f" GROUP BY s.user_id, s.case_id, c.opened_at HAVING MAX(s.{VIEW}) = 1",
    ]


def _reach_triggers() -> dict[str, tuple[str, str, str | None]]:
    """Table -> (the users, the cases whose reach a change of one of its rows ``{row}`` can move; when an update
    matters: None for any, else the column whose change does)."""
    t = _tables()
    members = f"SELECT user_id FROM {t['membership']} WHERE organization_id = {{row}}"  # nosec B608
    participations = f"SELECT case_id FROM {t['participant']} WHERE organization_id = {{row}}"  # nosec B608
    return {
        t["participant"]: (members.format(row="{row}.organization_id"), "{row}.case_id", None),
        t["membership"]: ("{row}.user_id", participations.format(row="{row}.organization_id"), None),
        t["organization"]: (members.format(row="{row}.id"), participations.format(row="{row}.id"), "is_active"),
        t["user_grant"]: ("{row}.user_id", "{row}.content_object_id", None),
        t["group_grant"]: (
            f"SELECT user_id FROM {t['user_groups']} WHERE group_id = {{row}}.group_id",  # nosec B608
            "{row}.content_object_id",
            None,
        ),
        t["user_groups"]: (
            "{row}.user_id",
            f"SELECT content_object_id FROM {t['group_grant']} WHERE group_id = {{row}}.group_id",  # nosec B608
            None,
        ),
    }


def _reach_body(row: str, users: str, cases: str) -> str:
    return "; ".join(_reach_statements(users.format(row=row), cases.format(row=row))) + ";"


class _Trigger(NamedTuple):
    name: str
    table: str
    statements: tuple[str, ...]


def _reach_ddl(vendor: str) -> list[_Trigger]:
    """Every trigger that keeps the reach table, in this database's dialect."""
    t = _tables()
    found = []
    for table, (users, cases, column) in _reach_triggers().items():
        name = f"{t['reach']}_{table}"
        if vendor == "postgresql":
            when = f"WHEN (OLD.{column} IS DISTINCT FROM NEW.{column})" if column else ""
            events = "UPDATE" if column else "INSERT OR UPDATE OR DELETE"
            function = (
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF TG_OP <> 'INSERT' THEN {_reach_body('OLD', users, cases)} END IF; "
                f"IF TG_OP <> 'DELETE' THEN {_reach_body('NEW', users, cases)} END IF; "
                "RETURN NULL; END $$"
            )
            trigger = f"CREATE TRIGGER {name} AFTER {events} ON {table} FOR EACH ROW {when} EXECUTE FUNCTION {name}()"
            found.append(_Trigger(name, table, (function, trigger)))
            continue
        bodies = {"INSERT": _reach_body("NEW", users, cases), "DELETE": _reach_body("OLD", users, cases)}
        bodies["UPDATE"] = bodies["DELETE"] + " " + bodies["INSERT"]
        for event, body in bodies.items():
            if column and event != "UPDATE":
                continue
            when = f"WHEN OLD.{column} IS NOT NEW.{column}" if column else ""
            trigger = f"{name}_{event.lower()}"
            statement = f"CREATE TRIGGER {trigger} AFTER {event} ON {table} FOR EACH ROW {when} BEGIN {body} END"
            found.append(_Trigger(trigger, table, (statement,)))
    # A case's opening time is copied onto its rows (the lists' order).
    name, update = (
        f"{t['reach']}_{t['case']}",
        f"UPDATE {t['reach']} SET opened_at = NEW.opened_at WHERE case_id = NEW.id;",  # nosec B608
    )
    if vendor == "postgresql":
        function = (
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {update} "
            "RETURN NULL; END $$"
        )
        trigger = (
            f"CREATE TRIGGER {name} AFTER UPDATE ON {t['case']} FOR EACH ROW "
            f"WHEN (OLD.opened_at IS DISTINCT FROM NEW.opened_at) EXECUTE FUNCTION {name}()"
        )
        found.append(_Trigger(name, t["case"], (function, trigger)))
    else:
        trigger = (
            f"CREATE TRIGGER {name}_update AFTER UPDATE ON {t['case']} FOR EACH ROW "
            f"WHEN OLD.opened_at IS NOT NEW.opened_at BEGIN {update} END"
        )
        found.append(_Trigger(f"{name}_update", t["case"], (trigger,)))
    return found


def reach_install(using: str = "default", *, force: bool = False) -> bool:
    """Put the reach triggers in place; when they were missing or different, rebuild every row. True if rebuilt.

    Run after every ``migrate`` (``WorkflowConfig``): a change to the rights in the code changes the triggers' SQL,
    and the rows are then derived again from the new rule. PostgreSQL keeps a digest of the installed SQL as the
    table's comment; SQLite keeps the triggers' text itself.
    """
    import hashlib

    from django.db import connections, transaction

    connection = connections[using]
    triggers = _reach_ddl(connection.vendor)
    wanted = "\n".join(statement for trigger in triggers for statement in trigger.statements)
    postgres = connection.vendor == "postgresql"
    if postgres:
        wanted = "reach-rule " + hashlib.sha256(wanted.encode()).hexdigest()
    reach = _tables()["reach"]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if postgres:
            cursor.execute("SELECT obj_description(%s::regclass, 'pg_class')", [reach])
            installed = cursor.fetchone()[0]
        else:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s ORDER BY name", [reach + "%"]
            )
            installed = "\n".join(sorted(row[0] for row in cursor.fetchall()))
            wanted = "\n".join(sorted(trigger.statements[0] for trigger in triggers))
        if installed == wanted and not force:
            return False
        for trigger in triggers:
            cursor.execute(f"DROP TRIGGER IF EXISTS {trigger.name}" + (f" ON {trigger.table}" if postgres else ""))
            for statement in trigger.statements:
                cursor.execute(statement)
        if postgres:
            cursor.execute(f"COMMENT ON TABLE {reach} IS '{wanted}'")
        reach_rebuild(using=using)
    return True


def reach_rebuild(using: str = "default") -> int:
    """Derive every reach row again from the rule (after a bulk load with triggers off, or a rule change)."""
    from django.db import connections

    with connections[using].cursor() as cursor:
        for statement in _reach_statements(None, None):
            cursor.execute(statement)
        cursor.execute(f"SELECT COUNT(*) FROM {_tables()['reach']}")  # nosec B608 (a table name)
        return cursor.fetchone()[0]
