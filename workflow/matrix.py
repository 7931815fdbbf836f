"""The rights matrix: what each kind of actor may do in a case, and what each API operation needs, declared once.

``ACTORS`` is the one declaration of who holds which right on a case. ``workflow.access`` builds its tables from
it (``RIGHTS``: participant role × membership role → actions; ``GRANT_ACTIONS`` and ``GRANTER_NEEDS`` for the
per-object grants), so ``case_require`` and ``Case.objects.visible_to`` answer from this table and nothing else.

The stage machines narrow some rights further, per case kind and stage: each transition names the right it needs
and its rules (``stage_rules()`` lists them). Organizations have fields only site staff change
(``accounts.models.STAFF_ONLY_FIELDS``).

Every id-bearing API operation declares what it needs in its viewset's ``action_rights`` (``declared_right``):
a case action, an ``Ability`` (an action held through a particular participation, sometimes narrowed by a rule to
one person), a tuple of them any of which will do, or one of the rights on things that are not cases
(``NON_CASE_RIGHTS``). ``CaseScopedViewSet`` checks a case right before it reads the input, and
``tests/security/test_rights_matrix.py`` sends every such operation as every actor kind and compares.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.models import STAFF_ONLY_FIELDS, Role

# view: see the case; edit: work on it (tasks, documents, answers); review: BJA's decisions on it (completeness,
# funding, milestone and report approval); manage: participants, grants and the case's own settings; score: a
# peer reviewer's assigned review, and nothing else (see workflow.access.reviews_anonymously).
VIEW, EDIT, REVIEW, MANAGE, SCORE = "view", "edit", "review", "manage", "score"
ACTIONS = (VIEW, EDIT, REVIEW, MANAGE, SCORE)


@dataclass(frozen=True)
class Actor:
    """One kind of actor on a case: how they come to it, and the actions that gives them."""

    key: str
    label: str
    actions: frozenset[str]
    #: Through a membership: their organization takes part in the case in this role…
    participant: str | None = None
    #: …and they hold one of these membership roles in it.
    roles: tuple[str, ...] = ()
    #: Or through a per-object grant (a django-guardian codename on the case)…
    grant: str | None = None
    #: …which only someone holding all of these rights on the case may give or take back.
    granted_by: frozenset[str] = frozenset()
    #: Or as site staff (a superuser): every action on every case.
    superuser: bool = False
    #: Where the stage machines or services narrow this actor's rights (shown in docs/security.md).
    note: str = ""
    #: Case kinds where this actor kind exists (empty: every kind).
    kinds: tuple[str, ...] = field(default=())


def _party(participant: str, label: str, note: str = "") -> list[Actor]:
    return [
        Actor(f"{participant}_admin", f"{label} admin", frozenset({VIEW, EDIT, MANAGE}), participant, (Role.ADMIN,),
              note=note),
        Actor(f"{participant}_member", f"{label} member", frozenset({VIEW, EDIT}), participant, (Role.MEMBER,)),
        Actor(f"{participant}_viewer", f"{label} viewer", frozenset({VIEW}), participant, (Role.VIEWER,)),
    ]  # fmt: skip


ACTORS: tuple[Actor, ...] = (
    *_party(
        "lead",
        "Lead organization",
        "Only the lead's admins withdraw an application or dissolve a partnership; its staff submit.",
    ),
    *_party("co_applicant", "Co-applicant", "An applicant's admins sign the application for their organization."),
    *_party("partner", "Partner"),
    Actor(
        "grant_manager",
        "BJA grant manager",
        frozenset({VIEW, REVIEW, MANAGE}),
        "reviewer",
        (Role.GRANT_MANAGER,),
        note="Decides completeness, funding, milestones, reports and modifications; appoints peer reviewers; "
        "coordinates TA requests.",
    ),
    Actor("bja_staff", "Other BJA staff", frozenset({VIEW}), "reviewer", (Role.ADMIN, Role.MEMBER, Role.VIEWER)),
    Actor(
        "peer_reviewer",
        "Assigned peer reviewer",
        frozenset({VIEW, SCORE}),
        grant="review_case",
        granted_by=frozenset({MANAGE, REVIEW}),
        note="Declares a conflict and scores the assigned application, and nothing else: anonymous to the "
        "applicants and to the other reviewers.",
    ),
    Actor("delegate_viewer", "Delegate (view grant)", frozenset({VIEW}), grant="view_case",
          granted_by=frozenset({MANAGE})),
    Actor("consultant", "Consultant (change grant)", frozenset({VIEW, EDIT}), grant="change_case",
          granted_by=frozenset({MANAGE, EDIT})),
    Actor("delegate_manager", "Delegate (manage grant)", frozenset({VIEW, EDIT, MANAGE}), grant="manage_case",
          granted_by=frozenset({MANAGE, EDIT})),
    Actor(
        "learning_site_coordinator",
        "Learning Site coordinator",
        frozenset({VIEW, EDIT}),
        "partner",
        (Role.ADMIN, Role.MEMBER),
        note="A Learning Site offered or matched a TA request joins its case as a partner; its staff acknowledge, "
        "match, decline, schedule and deliver it (with BJA's grant managers).",
        kinds=("ta_request",),
    ),
    Actor("site_staff", "Site staff (superuser)", frozenset(ACTIONS), superuser=True,
          note="`is_staff` alone gives no right on a case but one: redacting what carried client information "
          "(`SITE_STAFF`: a document, a free text). Site staff (`is_staff`) are the only ones who change an "
          "organization's " + " and ".join(f"`{name}`" for name in sorted(STAFF_ONLY_FIELDS)) + "."),
)  # fmt: skip

ACTOR = {actor.key: actor for actor in ACTORS}


def membership_rights() -> dict[str, dict[str, set[str]]]:
    """Participant role → action → membership roles that hold it (``workflow.access.RIGHTS``)."""
    table: dict[str, dict[str, set[str]]] = {}
    for actor in ACTORS:
        if actor.participant is None:
            continue
        by_action = table.setdefault(actor.participant, {action: set() for action in ACTIONS})
        for action in actor.actions:
            by_action[action].update(actor.roles)
    return table


def grant_actions() -> dict[str, set[str]]:
    """Guardian codename → the actions it gives (``workflow.access.GRANT_ACTIONS``)."""
    return {actor.grant: set(actor.actions) for actor in ACTORS if actor.grant}


def granter_needs() -> dict[str, set[str]]:
    """Guardian codename → what whoever gives or takes it back must hold (``workflow.access.GRANTER_NEEDS``)."""
    return {actor.grant: set(actor.granted_by) for actor in ACTORS if actor.grant}


def actor_actions(*, participant: str | None, role: str | None) -> frozenset[str]:
    """The actions a member with `role` of an organization taking part as `participant` holds, per ``ACTORS``."""
    found: set[str] = set()
    for actor in ACTORS:
        if actor.participant == participant and role in actor.roles:
            found |= actor.actions
    return frozenset(found)


@dataclass(frozen=True)
class Ability:
    """An action the stage rules or services narrow to some actor kinds: held through taking part in the case in one
    of `participants` roles with a membership role that gives `action`, or through the `grant` itself.

    An operation that declares one answers 403 (before reading its input) to whoever sees the case but does not
    hold it; the service still applies its own rule, which may be narrower still (the lead's own admins only).
    """

    name: str
    action: str
    participants: tuple[str, ...] = ()
    grant: str | None = None
    #: A rule that narrows it to one person on the case (``"module.function"``, called as ``rule(user, case)``):
    #: the award's Authorized Representative among the lead's staff.
    rule: str | None = None
    #: The rule is about the object in the path (an assessment, a modification), not about its case.
    on_object: bool = False
    #: The error code of the 403 to who lacks it (the service's own code for the same refusal).
    code: str = "not_allowed"
    #: Held by site staff alone (redacting what got in by mistake), whatever their part in the case.
    staff: bool = False

    def holders(self) -> frozenset[str]:
        """The actor kinds (keys of ``ACTOR``) that hold it."""
        return frozenset(actor.key for actor in ACTORS if self.action in actor.actions and self._reaches(actor))

    def _reaches(self, actor: Actor) -> bool:
        if self.staff:
            return actor.key == "site_staff"
        if self.grant:
            return actor.grant == self.grant
        return actor.participant is not None and actor.participant in self.participants

    def held(self, *, user, case_id: int, target=None) -> bool:
        """Whether the user holds it on this case (and, for a rule on the object, on `target`)."""
        from django.utils.module_loading import import_string

        from workflow.models import Case

        if self.staff:
            return user.is_staff
        if not self._takes_part(user=user, case_id=case_id):
            return False
        if self.rule is None:
            return True
        return import_string(self.rule)(user, target if self.on_object else Case.objects.get(pk=case_id))

    def _takes_part(self, *, user, case_id: int) -> bool:
        from workflow.access import case_standing

        standing = case_standing(user=user, case=case_id)
        if self.grant:
            return any(first == self.grant and role == "" for first, role in standing)
        return any(
            first in self.participants and role and self.action in actor_actions(participant=first, role=role)
            for first, role in standing
        )


APPLICANT_ADMIN = Ability("an applicant's admin", MANAGE, participants=("lead", "co_applicant"))
LEAD_ADMIN = Ability("the lead organization's admin", MANAGE, participants=("lead",))
LEAD_STAFF = Ability("the lead organization's staff", EDIT, participants=("lead",))
GRANT_MANAGER = Ability("a BJA grant manager on the case", REVIEW, participants=("reviewer",))
BJA_STAFF = Ability("BJA staff on the case (not a peer reviewer)", VIEW, participants=("reviewer",))
ASSIGNED_REVIEWER = Ability("the assigned peer reviewer", SCORE, grant="review_case")
AUTHORIZED_REPRESENTATIVE = Ability(
    "the award's Authorized Representative", EDIT, ("lead",), rule="grants.awards.machine.is_authorized_representative",
    code="not_authorized_representative",
)  # fmt: skip
TA_COORDINATOR = Ability(
    "a TA coordinator (an offered Learning Site or BJA)", VIEW, ("partner", "reviewer"),
    rule="partnerships.rules.is_ta_coordinator",
)  # fmt: skip
MATCHED_SITE = Ability(
    "the matched Learning Site (or BJA)", VIEW, ("partner", "reviewer"), rule="partnerships.rules.is_matched_site_staff"
)
ASSESSOR = Ability(
    "staff of the assessed organization", EDIT, ("lead", "co_applicant", "partner"),
    rule="partnerships.rules.answers_assessment", on_object=True,
)  # fmt: skip
AWARD_ADMINISTRATOR = Ability(
    "the award's Grant Award Administrator", EDIT, ("lead",), rule="grants.awards.machine.administers_award",
    on_object=True, code="not_award_administrator",
)  # fmt: skip
AUTHOR_ORGANIZATION = Ability(
    "the organization that wrote it",
    EDIT,
    ("lead", "co_applicant", "partner"),
    rule="workflow.corrections.writes_for_author",
    on_object=True,
)
SITE_STAFF = Ability("site staff", MANAGE, staff=True)

ABILITIES = (
    AUTHOR_ORGANIZATION,
    SITE_STAFF,
    ASSESSOR,
    AWARD_ADMINISTRATOR,
    TA_COORDINATOR,
    MATCHED_SITE,
    APPLICANT_ADMIN,
    LEAD_ADMIN,
    LEAD_STAFF,
    GRANT_MANAGER,
    BJA_STAFF,
    ASSIGNED_REVIEWER,
    AUTHORIZED_REPRESENTATIVE,
)

# Rights on what is not a case (organizations, memberships, invitations, tokens, notifications, solicitations).
SIGNED_IN = "signed in"  # Anyone signed in (the Learning Site directory, published solicitations).
ORGANIZATION_MEMBER = "organization member"  # An active member of the organization in the path.
ORGANIZATION_ADMIN = "organization admin"  # An admin of the organization in the path (or site staff).
OWN = "self"  # The signed-in user's own row (an invitation, a notification, a calendar feed).
AGENCY_GRANT_MANAGER = "agency grant manager"  # A grant manager of the solicitation's agency.
AGENCY_STAFF = "agency staff"  # Any active member of the solicitation's agency (its reports).
LEARNING_SITE_STAFF = "Learning Site staff"  # An admin or member of that Learning Site (its directory profile).
NON_CASE_RIGHTS = (
    SIGNED_IN,
    ORGANIZATION_MEMBER,
    ORGANIZATION_ADMIN,
    OWN,
    AGENCY_GRANT_MANAGER,
    AGENCY_STAFF,
    LEARNING_SITE_STAFF,
)


def declared_right(view_class, action: str | None, method: str) -> tuple | None:
    """What an operation of `view_class` needs, from its ``action_rights``: a tuple of rights any of which will do.

    ``action_rights`` maps an action name (for an ``APIView``, the lower-case method) to a right, a tuple of
    rights, or a dict of lower-case method → right for an action that answers several methods.
    """
    rights = getattr(view_class, "action_rights", {})
    wanted = rights.get(action) if action else None
    if wanted is None:
        wanted = rights.get(method.lower())
    if isinstance(wanted, dict):
        wanted = wanted.get(method.lower())
    if wanted is None:
        return None
    wanted = tuple(wanted) if isinstance(wanted, (tuple, list)) else (wanted,)
    unknown = [right for right in wanted if right not in ACTIONS + NON_CASE_RIGHTS + ABILITIES]
    if unknown:
        raise ValueError(f"{view_class.__name__}.action_rights[{action!r}]: unknown rights {unknown}")
    return wanted


def is_case_right(wanted: tuple) -> bool:
    """A right on the case in the path (actions and abilities), not on an organization or the user's own rows."""
    return all(isinstance(right, Ability) or right in ACTIONS for right in wanted)


def write_rights(rights: set[str]) -> set[str]:
    """What a write may use of these rights: a peer reviewer's ``view`` lets them write nothing outside their review
    (whatever they did would show their name to the applicants; see ``workflow.access.reviews_anonymously``)."""
    if SCORE in rights and not rights & {EDIT, REVIEW, MANAGE}:
        return rights - {VIEW}
    return rights


def abilities_markdown() -> str:
    """The abilities as the Markdown table docs/security.md shows (a test keeps the two the same)."""
    lines = ["| Ability | Action | Through | Rule on top |", "|---|---|---|---|"]
    for ability in ABILITIES:
        through = f"grant `{ability.grant}`" if ability.grant else ", ".join(ability.participants)
        rule = f"`{ability.rule}`" + (" (on the object)" if ability.on_object else "") if ability.rule else ""
        lines.append(f"| {ability.name} | {ability.action} | {through} | {rule} |")
    return "\n".join(lines)


def stage_markdown(*, leave_out: tuple[str, ...] = ()) -> str:
    """The stage rules as the Markdown table docs/security.md shows (a test keeps the two the same)."""
    lines = ["| Case kind | Transition | From | Needs | Rules on top |", "|---|---|---|---|---|"]
    for row in stage_rules():
        if row["kind"] in leave_out:
            continue
        lines.append(f"| {row['kind']} | `{row['transition']}` | {row['from']} | {row['needs']} | {row['rules']} |")
    return "\n".join(lines)


def stage_rules() -> list[dict]:
    """Every transition of every case kind: the stages it leaves, the right it needs and the rules on top."""
    from workflow.machines import registry

    rows = []
    for machine in registry:
        for transition in machine.transitions:
            rows.append(
                {
                    "kind": machine.kind,
                    "transition": transition.name,
                    "from": ", ".join(transition.sources),
                    "needs": transition.permission,
                    "rules": " ".join(rule.reason for rule in transition.rules),
                }
            )
    return rows


def matrix_markdown() -> str:
    """The matrix as the Markdown table docs/security.md shows (a test keeps the two the same)."""
    head = "| Actor kind | How | " + " | ".join(ACTIONS) + " | Narrowed by |"
    lines = [head, "|" + "---|" * (len(ACTIONS) + 3)]
    for actor in ACTORS:
        if actor.superuser:
            how = "`is_superuser`"
        elif actor.grant:
            how = f"grant `{actor.grant}` (given by {' + '.join(sorted(actor.granted_by))})"
        else:
            how = f"{actor.participant} × {'/'.join(str(role) for role in actor.roles)}"
        if actor.kinds:
            how += f" on {', '.join(actor.kinds)}"
        marks = " | ".join("✓" if action in actor.actions else "" for action in ACTIONS)
        lines.append(f"| {actor.label} | {how} | {marks} | {actor.note} |")
    return "\n".join(lines)


def transition_rights(kind: str) -> tuple[str, ...]:
    """What firing some transition of this case kind needs: any of its machine's transition rights."""
    from workflow.machines import registry

    return tuple(sorted({transition.permission for transition in registry.get(kind).transitions}))
