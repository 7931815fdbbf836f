"""Undoing a participant added by mistake: the lead's admin removes a co-applicant or partner, and adds it back.

Access is computed from ``Participant`` rows on every request (``workflow.access``), so deleting the row ends the
organization's access at once: no cache of rights outlives the write that checked them (``rights_remember``
keeps them on one locked case object, for that write only). The lead never leaves its own case, and BJA's
reviewing role is not the applicants' to remove. Where a domain decides who leaves by its own rules (an award's
partner, when BJA approves a modification), it calls ``participant_leave``, which records the same removal.
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import Membership, MembershipStatus, Organization, Role, User
from config.errors import Conflict, NotAllowed, NotFound, ServiceError
from workflow.access import MANAGE, case_require
from workflow.models import Case, Event, Participant, ParticipantRole
from workflow.services import event_record, participant_add

REMOVABLE = (ParticipantRole.CO_APPLICANT, ParticipantRole.PARTNER)
# Case kinds whose domain app keeps a row of its own per participant (a partnership's members): their participants
# are removed through that app's service, which passes `domain=True`, so the two rows never disagree. The app adds
# its kind from AppConfig.ready(); the engine does not know it.
REMOVED_THROUGH_DOMAIN: dict[str, str] = {}
REFUSAL = "Only an admin of the lead organization removes or restores participants."


def lead_admin(*, user: User, case: Case) -> bool:
    """An active admin of the case's lead organization: who removes and restores participants."""
    return Membership.objects.filter(
        user=user,
        organization_id=case.organization_id,
        role=Role.ADMIN,
        is_active=True,
        status=MembershipStatus.ACCEPTED,
    ).exists()


def _require_lead_admin(*, case: Case, actor: User) -> None:
    case_require(user=actor, case=case, action=MANAGE, message=REFUSAL)
    if not lead_admin(user=actor, case=case):
        raise NotAllowed(REFUSAL)


def _require_door(*, case: Case, domain: bool) -> None:
    where = REMOVED_THROUGH_DOMAIN.get(case.kind)
    if where and not domain:
        raise Conflict(f"Change who takes part through {where}.", field="organization", code="domain_participants")


def _lock(case: Case) -> Case:
    locked = Case.objects.select_for_update(of=("self",)).filter(pk=case.pk).first()
    if locked is None:
        raise NotFound("Case not found.")
    return locked


def participant_removable(*, case: Case, organization: Organization, actor: User) -> Participant:
    """What a removal checks before it writes (a page asks it before offering the step): the actor is the lead's
    admin, and the organization a co-applicant or partner of the case."""
    _require_lead_admin(case=case, actor=actor)
    participant = Participant.objects.filter(case=case, organization=organization).first()
    if participant is None:
        raise NotFound(f"{organization} does not take part in this case.", field="organization")
    _removable_role(participant)
    return participant


@transaction.atomic
def participant_remove(
    *,
    case: Case,
    organization: Organization,
    actor: User,
    reason: str,
    data: dict | None = None,
    domain: bool = False,
) -> None:
    """Take a co-applicant or partner off the case; its members lose access in the same commit.

    The reason is required and kept in the event (the timeline says why). `data` is what a domain app wants kept in
    the event to restore its own row later (a partnership member's role).
    """
    case = _lock(case)
    participant = participant_removable(case=case, organization=organization, actor=actor)
    _require_door(case=case, domain=domain)
    _remove(case=case, participant=participant, organization=organization, actor=actor, reason=reason, data=data)


def _removable_role(participant: Participant) -> None:
    if participant.role not in REMOVABLE:
        role = "lead organization" if participant.role == ParticipantRole.LEAD else "reviewing agency"
        raise Conflict(f"The {role} cannot be removed from the case.", field="organization", code="not_removable")


@transaction.atomic
def participant_leave(*, case: Case, organization: Organization, actor: User, reason: str, data: dict) -> None:
    """Take a co-applicant or partner off the case by a decision its domain app records and authorizes (BJA's
    approval of an award modification): no lead admin acts here, so the caller has checked who decides. The event,
    and the end of access, are those of ``participant_remove``."""
    case = _lock(case)
    participant = Participant.objects.filter(case=case, organization=organization).first()
    if participant is None:
        message = f"{organization} no longer takes part in this case."
        raise Conflict(message, field="organization", code="not_taking_part")
    _removable_role(participant)
    _remove(case=case, participant=participant, organization=organization, actor=actor, reason=reason, data=data)


def _remove(
    *, case: Case, participant: Participant, organization: Organization, actor: User, reason: str, data: dict | None
) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(f"Say why {organization} is removed.", field="reason", code="required")
    participant.delete()
    event_record(
        case=case,
        actor=actor,
        verb="participant.removed",
        data={
            "organization": organization.name,
            "organization_id": organization.pk,
            "role": participant.role,
            "reason": reason,
        }
        | (data or {}),
    )


def participant_removal(*, case: Case, organization: Organization) -> Event | None:
    """The last removal of this organization from the case: what a restore puts back."""
    return (
        Event.objects.filter(case=case, verb="participant.removed", data__organization_id=organization.pk)
        .order_by("-created_at", "-id")
        .first()
    )


@transaction.atomic
def participant_restore(*, case: Case, organization: Organization, actor: User, domain: bool = False) -> Participant:
    """Add back an organization removed by mistake, in the role it had."""
    case = _lock(case)
    removal = participant_restorable(case=case, organization=organization, actor=actor)
    _require_door(case=case, domain=domain)
    return participant_add(case=case, organization=organization, role=removal.data["role"], actor=actor)


def participant_restorable(*, case: Case, organization: Organization, actor: User) -> Event:
    """What a restore checks before it writes: the actor is the lead's admin, the organization was removed and is
    not back. Returns the removal's event, which holds the role it had."""
    _require_lead_admin(case=case, actor=actor)
    removal = participant_removal(case=case, organization=organization)
    if removal is None:
        raise NotFound(f"{organization} was never removed from this case.", field="organization")
    if Participant.objects.filter(case=case, organization=organization).exists():
        raise Conflict(f"{organization} already takes part in this case.", field="organization", code="duplicate")
    return removal
