"""The award: made from the funding decision, accepted or declined by the Authorized Representative, its roles,
and planning spending under the category's cap."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Role, User
from config.errors import Conflict, NotAllowed, ServiceError
from grants import reporting
from grants.awards.machine import AWARD_KIND, is_authorized_representative
from grants.awards.services.common import AWARD_NOT_FOUND, AWARD_RELATED
from grants.awards.services.reports import planning_items_add, schedule_create
from grants.models import Application, Award
from grants.rules import administers_lead
from grants.services.common import case_object_lock
from grants.validation import money
from workflow import services
from workflow.access import EDIT, case_require
from workflow.models import Case, Participant, ParticipantRole

# Grantee roles go to working members of the lead organization; DOJ's Entity Administrator assigns them.
GRANTEE_ROLES = {
    "authorized_representative": "Authorized Representative",
    "award_administrator": "Grant Award Administrator",
    "alternate_administrator": "alternate Grant Award Administrator",
    "financial_manager": "Financial Manager",
}


def _award_number(application: Application) -> str:
    return f"15PBJA-{application.solicitation.fiscal_year % 100:02d}-GG-{application.pk:05d}-MUMU"


def _lead_worker(user: User | None, award_case: Case) -> User | None:
    if user is None:
        return None
    working = Membership.objects.active().filter(
        user=user, organization_id=award_case.organization_id, role__in=[Role.ADMIN, Role.MEMBER]
    )
    return user if working.exists() else None


def award_create(*, application: Application, actor: User) -> Award:
    """Open the award case from the recorded decision, with the application's participants.

    Runs inside the "award" transition (the application machine's on_enter["awarded"], grants/machines.py). The
    Authorized Representative and the Grant Award Administrator start as the person who submitted the application;
    the lead's admins change them.
    """
    decision = application.decision
    participants = {
        p.organization: p.role
        for p in Participant.objects.filter(case=application.case).select_related("organization")
        if p.role != ParticipantRole.LEAD
    }
    case = services.case_create(
        kind=AWARD_KIND,
        title=application.case.title,
        organization=application.case.organization,
        actor=actor,
        participants=participants,
    )
    start, end = application.project_start, application.project_end
    closeout_days = settings.AWARD_CLOSEOUT_DAYS
    submitter = _lead_worker(application.submitted_by, case)
    award = Award(
        case=case,
        application=application,
        number=_award_number(application),
        amount=decision.amount,
        awarded_on=decision.decided_on,
        start=start,
        end=end,
        original_end=end,
        special_conditions=decision.conditions,
        time_zone=application.solicitation.time_zone,
        acceptance_due=reporting.acceptance_due(decision.decided_on, settings.AWARD_ACCEPTANCE_DAYS),
        closeout_days=closeout_days,
        closeout_due=reporting.closeout_due(end, closeout_days),
        modification_percent=settings.AWARD_MODIFICATION_PERCENT,
        authorized_representative=submitter,
        award_administrator=submitter,
        grant_manager=decision.decided_by,
    )
    award.full_clean()
    award.save()
    services.event_record(
        case=case,
        actor=actor,
        verb="award.made",
        data={"number": award.number, "amount": str(award.amount), "acceptance_due": str(award.acceptance_due)},
    )
    return award


def award_created_hook(*, case, actor, event) -> None:
    application = Application.objects.select_related("case", "solicitation", "decision__decided_by").get(case=case)
    award_create(application=application, actor=actor)


def _today(award: Award):
    return reporting.local_today(timezone.now(), award.time_zone)


def _may_answer(award: Award, actor: User, doing: str) -> None:
    refusal = f"Only the award's Authorized Representative may {doing} it."
    case_require(user=actor, case=award.case, action=EDIT, message=refusal, not_found=AWARD_NOT_FOUND)
    if not is_authorized_representative(actor, award.case):
        raise NotAllowed(refusal, code="not_authorized_representative")
    if award.declined_at is not None:
        raise Conflict("The award was declined; it can no longer be accepted or declined.", code="declined")
    if award.accepted_at is not None:
        raise Conflict("The award is already accepted.", code="already_accepted")
    if award.case.stage == "lapsed":
        raise Conflict(
            f"The offer lapsed: it was not accepted by {award.acceptance_due:%b %-d, %Y}. BJA can reopen it.",
            code="lapsed",
        )


@transaction.atomic
def award_accept(*, award: Award, actor: User) -> Award:
    """Accept (the Authorized Representative), put the reporting schedule on the case, start planning.

    Acceptance after the 45 days is still recorded (BJA may allow it) but the award shows it was late.
    """
    award = case_object_lock(award, related=AWARD_RELATED)
    _may_answer(award, actor, "accept")
    award.accepted_at, award.accepted_by = timezone.now(), actor
    award.save(update_fields=["accepted_at", "accepted_by"])
    late = reporting.is_late(award.acceptance_due, _today(award))
    services.case_transition(
        case=award.case, name="accept", actor=actor, comment="Accepted after the deadline." if late else ""
    )
    schedule_create(award=award, actor=actor)
    if award.application.category.planning_required:
        planning_items_add(award=award, actor=actor)
    else:
        services.case_transition(case=award.case, name="begin_implementation", actor=actor)
    return award


@transaction.atomic
def award_decline(*, award: Award, actor: User, reason: str, confirm: bool = False) -> Award:
    """Declining cannot be undone: the caller passes `confirm` True once the person has seen that said."""
    award = case_object_lock(award, related=AWARD_RELATED)
    _may_answer(award, actor, "decline")
    if not reason.strip():
        raise ServiceError("Say why the award is declined.", field="reason", code="required")
    if confirm is not True:
        raise ServiceError(
            "Declining is final: the award can no longer be accepted and its funds return to BJA. "
            "Confirm that you mean it.",
            field="confirm",
            code="confirmation_required",
        )
    award.declined_at, award.declined_by, award.decline_reason = timezone.now(), actor, reason.strip()
    award.save(update_fields=["declined_at", "declined_by", "decline_reason"])
    services.case_transition(
        case=award.case, name="decline", actor=actor, comment=award.decline_reason, confirm=confirm
    )
    return award


def _check_role_holder(award: Award, field: str, user: User | None) -> None:
    if user is None:
        if field in ("authorized_representative", "award_administrator"):
            raise ServiceError(f"The award needs a {GRANTEE_ROLES[field]}.", field=field, code="required")
        return
    if _lead_worker(user, award.case) is None:
        raise ServiceError(
            f"The {GRANTEE_ROLES[field]} must be an admin or member of {award.case.organization.name}.",
            field=field,
            code="not_a_member",
        )


@transaction.atomic
def award_roles_set(*, award: Award, actor: User, **roles: User | None) -> Award:
    """The lead's admins (DOJ's Entity Administrator) assign the grantee roles."""
    award = case_object_lock(award, related=AWARD_RELATED)
    refusal = "Only an admin of the lead agency assigns award roles."
    case_require(user=actor, case=award.case, action=EDIT, message=refusal, not_found=AWARD_NOT_FOUND)
    if not administers_lead(actor, award.case):
        raise NotAllowed(refusal)
    unknown = set(roles) - set(GRANTEE_ROLES)
    if unknown:
        raise ServiceError(f"Unknown award role: {', '.join(sorted(unknown))}.", code="invalid")
    for field, user in roles.items():
        _check_role_holder(award, field, user)
        setattr(award, field, user)
    award.save(update_fields=list(roles))
    names = {field: (getattr(award, field).email if getattr(award, field) else None) for field in roles}
    services.event_record(case=award.case, actor=actor, verb="award.roles_assigned", data=names)
    return award


@transaction.atomic
def planning_spending_record(*, award: Award, actor: User, amount: Decimal, description: str) -> Award:
    """Planning-phase spending, refused when the total would pass the category's planning cap."""
    award = case_object_lock(award, related=AWARD_RELATED)
    refusal = "Only the grantee's staff record planning spending."
    case_require(user=actor, case=award.case, action=EDIT, message=refusal, not_found=AWARD_NOT_FOUND)
    category = award.application.category
    if not category.planning_required:
        raise ServiceError("This award has no planning phase.", field="amount", code="no_planning_phase")
    if award.case.stage != "planning":
        raise Conflict("Planning spending is recorded during the planning phase.", code="wrong_stage")
    if amount is None or amount <= 0:
        raise ServiceError("Enter an amount above $0.", field="amount", code="invalid")
    total = award.planning_spent + amount
    if total > category.planning_cap:
        raise ServiceError(
            f"Planning spending would reach {money(total)}, above the planning cap of {money(category.planning_cap)} "
            f"({money(award.planning_spent)} recorded so far).",
            field="amount",
            code="planning_cap_exceeded",
        )
    award.planning_spent = total
    award.save(update_fields=["planning_spent"])
    services.event_record(
        case=award.case,
        actor=actor,
        verb="award.planning_spending",
        data={"amount": str(amount), "total": str(total), "description": description.strip()},
    )
    return award
