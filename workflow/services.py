"""Writes on cases: create, participants, the transition service, the event log and per-object grants."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, SecurityEventKind, User
from accounts.security_log import security_event_record
from config.errors import Conflict, NotAllowed, NotFound, ServiceError
from workflow.access import (
    GRANT_ACTIONS,
    GRANTER_NEEDS,
    MANAGE,
    case_require,
    case_rights,
    reviews_anonymously,
    rights_checked,
    rights_forget,
    rights_remember,
)
from workflow.errors import GuardFailed
from workflow.events import event_announce
from workflow.machines import Transition, registry
from workflow.models import Audience, Case, CaseUserPermission, Event, Participant, ParticipantRole


def event_record(
    *, case: Case, actor: User | None, verb: str, data: dict | None = None, audience: str = Audience.ALL
) -> Event:
    """Append one line to the case's history. Call it inside the transaction of the change it records.

    Peer reviewers stay anonymous by construction: whatever a peer reviewer does is recorded for the reviewers'
    audience, whatever the caller asked, so no event can show an applicant who reviews them.
    """
    if audience == Audience.ALL and actor is not None and reviews_anonymously(rights_checked(case=case, user=actor)):
        audience = Audience.REVIEWERS
    event = Event.objects.create(case=case, actor=actor, verb=verb, data=data or {}, audience=audience)
    event_announce(event)
    return event


def _grant_audience(permission: str) -> str:
    # Who reviews an application is not the applicants' business.
    return Audience.REVIEWERS if permission == "review_case" else Audience.ALL


@transaction.atomic
def case_create(
    *, kind: str, title: str, organization: Organization, actor: User | None, participants: dict | None = None
) -> Case:
    """Open a case of a registered kind, owned by `organization` (its lead), with other participants."""
    machine = registry.get(kind)
    case = Case(kind=kind, title=title, stage=machine.initial, organization=organization)
    case.full_clean()
    case.save()
    Participant.objects.create(case=case, organization=organization, role=ParticipantRole.LEAD)
    for other, role in (participants or {}).items():
        Participant.objects.create(case=case, organization=other, role=role)
    event_record(case=case, actor=actor, verb="case.opened", data={"kind": kind, "stage": case.stage})
    return case


@transaction.atomic
def participant_add(*, case: Case, organization: Organization, role: str, actor: User | None) -> Participant:
    if role not in ParticipantRole.values:
        raise ServiceError(f"“{role}” is not a participant role.", field="role", code="invalid_role")
    if Participant.objects.filter(case=case, organization=organization).exists():
        raise Conflict(f"{organization} already takes part in this case.", field="organization", code="duplicate")
    participant = Participant.objects.create(case=case, organization=organization, role=role)
    rights_forget()
    event_record(
        case=case,
        actor=actor,
        verb="participant.added",
        data={"organization": organization.name, "organization_id": organization.pk, "role": role},
    )
    return participant


def _rule_failures(transition: Transition, *, user: User, case: Case) -> list[str]:
    return [rule.reason for rule in transition.rules if not rule.check(user, case)]


def _guard_failures(transition: Transition, *, case: Case) -> list[str]:
    return [guard.reason for guard in transition.guards if not guard.check(case)]


def case_transition(
    *,
    case: Case,
    name: str,
    actor: User,
    comment: str = "",
    expected_version: int | None = None,
    rights: set[str] | None = None,
    confirm: bool = False,
) -> Case:
    """Move a case along its stage machine: the only way a stage changes.

    Locks the case row, then re-checks everything against the locked row:
    source stage, the actor's permission, the transition's rules and guards,
    and the client's `expected_version`. Of many simultaneous identical
    attempts exactly one wins; the others wait on the lock and then fail
    because the stage has moved on.

    A domain service that has already locked this case and checked the actor with ``case_require`` in the same
    transaction passes the `rights` it got, so access is checked once, on the locked row.

    A transition that declares ``comment_required`` needs a `comment` (the reason, kept in the event), and one
    that declares ``confirm`` needs `confirm` True: the person saw the sentence saying what cannot be undone.
    Transitions only time fires (``Clock.system_only``) are refused to people; the system fires them through
    ``workflow.clocks``.
    """
    machine = registry.get(case.kind)
    transition = machine.transition(name)
    if transition is None:
        raise ServiceError(
            f"“{name}” is not a transition of a {machine.label}.", field="name", code="unknown_transition"
        )
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).filter(pk=case.pk).first()
        if locked is None:
            raise NotFound("Case not found.")
        refusal = f"You may not “{transition.label}” on this case."
        if rights is None:
            case_require(user=actor, case=locked, action=transition.permission, message=refusal)
        elif transition.permission not in rights:
            raise NotAllowed(refusal)
        else:
            rights_remember(case=locked, user=actor, rights=rights)
        if expected_version is not None and locked.version != expected_version:
            raise Conflict(
                f"The case changed since you loaded it (version {expected_version}, now {locked.version}). "
                "Reload and try again.",
                code="stale",
                field="expected_version",
            )
        if transition.system_only:
            raise NotAllowed(
                f"Nobody fires “{transition.label}”: the system does, when its time comes.", code="system_only"
            )
        refused = _rule_failures(transition, user=actor, case=locked)
        if refused:
            raise NotAllowed("; ".join(refused))
        if locked.stage not in transition.sources:
            sources = ", ".join(machine.stage(stage).label for stage in transition.sources)
            current = machine.stage(locked.stage).label
            raise Conflict(
                f"“{transition.label}” is only possible from {sources}; the case is {current}.",
                code="wrong_stage",
                field="name",
            )
        failing = _guard_failures(transition, case=locked)
        if failing:
            raise GuardFailed(failing)
        comment = (comment or "").strip()
        transition_input_check(transition, case=locked, comment=comment, confirm=confirm)
        transition_apply(locked, machine=machine, transition=transition, actor=actor, data={"comment": comment})
    return locked


def transition_input_check(transition: Transition, *, case: Case, comment: str, confirm: bool) -> None:
    """The reason and the confirmation a transition declares it needs (400 naming the field, nothing written)."""
    if transition.needs_comment(case) and not comment.strip():
        raise ServiceError(
            f"Say why: “{transition.label}” needs a comment, which everyone on the case will read.",
            field="comment",
            code="comment_required",
        )
    if transition.confirm and confirm is not True:
        raise ServiceError(
            f"{transition.confirm} Confirm that you mean it.", field="confirm", code="confirmation_required"
        )


def transition_apply(case: Case, *, machine, transition: Transition, actor: User | None, data: dict) -> Event:
    """Write the move on a case locked by the caller: stage, version, closed_at, the event, then the hooks.

    `actor` None is the system (a clock); its `data` then says ``"by": "system"`` and the ``reason``.
    """
    source = case.stage
    case.stage = transition.target
    case.version += 1
    target = machine.stage(transition.target)
    case.closed_at = timezone.now() if target.terminal else None
    case.save(update_fields=["stage", "version", "closed_at"])
    event = event_record(
        case=case,
        actor=actor,
        verb="transition",
        data={
            "name": transition.name,
            "label": transition.label,
            "from": source,
            "to": transition.target,
            "comment": "",
            **data,
            "version": case.version,
        },
    )
    for hook in machine.on_enter.get(transition.target, []):
        hook(case=case, actor=actor, event=event)
    for hook in machine.after_commit.get(transition.target, []):
        transaction.on_commit(partial(hook, case_id=case.pk, event_id=event.pk))
    return event


def _log_grant(kind: str, *, case: Case, user: User, permission: str, actor: User | None) -> None:
    """The security log of the case's organizations; a reviewer assignment only in the reviewing agency's."""
    participants = case.participations.all()
    if _grant_audience(permission) == Audience.REVIEWERS:
        participants = participants.filter(role=ParticipantRole.REVIEWER)
    details = {"case": case.pk, "permission": permission}
    organizations = participants.values_list("organization_id", flat=True)
    security_event_record(kind=kind, actor=actor, user=user, organizations=organizations, details=details)


def _grantable(permission: str) -> Permission:
    if permission not in GRANT_ACTIONS:
        choices = ", ".join(GRANT_ACTIONS)
        raise ServiceError(f"“{permission}” is not a case permission ({choices}).", field="permission")
    return Permission.objects.get(content_type__app_label="workflow", codename=permission)


def _require_granter(*, case: Case, actor: User | None, permission: str, doing: str) -> None:
    """Nobody grants or revokes a right they do not hold (``GRANTER_NEEDS``); `actor` None is the system."""
    if actor is None:
        return
    needs = GRANTER_NEEDS.get(permission, {MANAGE})
    if not needs <= case_rights(user=actor, case=case):
        if permission == "review_case":
            raise NotAllowed(f"Only a BJA grant manager for this case can {doing} the review right.")
        raise NotAllowed(f"Only a case manager who holds this right can {doing} access to this case.")


@transaction.atomic
def case_grant(*, case: Case, user: User, permission: str, actor: User | None) -> CaseUserPermission:
    """Give one user a right on one case (peer reviewer, consultant, delegate). `actor` None is the system."""
    _require_granter(case=case, actor=actor, permission=permission, doing="grant")
    grant, created = CaseUserPermission.objects.get_or_create(
        content_object=case, user=user, permission=_grantable(permission)
    )
    rights_forget()
    if created:
        event_record(
            case=case,
            actor=actor,
            verb="permission.granted",
            data={"user": user.email, "permission": permission},
            audience=_grant_audience(permission),
        )
        _log_grant(SecurityEventKind.CASE_ACCESS_GRANTED, case=case, user=user, permission=permission, actor=actor)
    return grant


@transaction.atomic
def case_revoke(*, case: Case, user: User, permission: str, actor: User | None) -> None:
    _require_granter(case=case, actor=actor, permission=permission, doing="revoke")
    deleted, _ = CaseUserPermission.objects.filter(
        content_object=case, user=user, permission=_grantable(permission)
    ).delete()
    rights_forget()
    if not deleted:
        raise NotFound(f"{user.email} has no “{permission}” grant on this case.")
    event_record(
        case=case,
        actor=actor,
        verb="permission.revoked",
        data={"user": user.email, "permission": permission},
        audience=_grant_audience(permission),
    )
    _log_grant(SecurityEventKind.CASE_ACCESS_REVOKED, case=case, user=user, permission=permission, actor=actor)
