"""Grant Award Modifications: prepared by the Grant Award Administrator or the alternate, submitted by the
administrator only, approved or denied by the grant manager. Budget moves within the threshold (10% of the
award, cumulative) are recorded without approval."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import Organization, User
from config.errors import Conflict, NotAllowed, ServiceError
from grants import reporting
from grants.awards.services.common import AWARD_NOT_FOUND, AWARD_RELATED, award_grant_manager_required
from grants.awards.services.reports import schedule_regenerate
from grants.models import Award, Modification, ModificationKind, ModificationStatus
from grants.services.common import case_object_lock
from workflow import participants, services
from workflow.access import EDIT, case_require
from workflow.models import Participant
from workflow.participants import REMOVABLE

# The budget categories of DOJ's budget detail worksheet.
BUDGET_CATEGORIES = (
    "personnel",
    "fringe_benefits",
    "travel",
    "equipment",
    "supplies",
    "construction",
    "subawards",
    "procurement_contracts",
    "other_costs",
    "indirect_costs",
)
COUNTED = (ModificationStatus.RECORDED, ModificationStatus.APPROVED)
LIVE_STAGES = ("planning", "implementation", "closeout")


def _clean_moves(moves: list[dict]) -> tuple[list[dict], Decimal]:
    if not moves:
        raise ServiceError("A budget change moves money between budget categories: list the moves.", field="moves")
    cleaned, total = [], Decimal(0)
    for position, move in enumerate(moves, start=1):
        source, target = move.get("from"), move.get("to")
        if source not in BUDGET_CATEGORIES or target not in BUDGET_CATEGORIES or source == target:
            raise ServiceError(
                f"Move {position}: “from” and “to” must be two different budget categories "
                f"({', '.join(BUDGET_CATEGORIES)}).",
                field="moves",
                code="invalid",
            )
        try:
            amount = Decimal(str(move.get("amount")))
        except InvalidOperation:
            amount = Decimal(-1)
        if not amount.is_finite() or amount <= 0:
            raise ServiceError(f"Move {position}: the amount must be above $0.", field="moves", code="invalid")
        cleaned.append({"from": source, "to": target, "amount": str(amount)})
        total += amount
    return cleaned, total


def moved_so_far(award: Award) -> Decimal:
    counted = award.modifications.filter(kind=ModificationKind.BUDGET, status__in=COUNTED)
    return counted.aggregate(total=Sum("moved_amount"))["total"] or Decimal(0)


def _is_administrator(award: Award, actor: User) -> bool:
    return actor.pk == award.award_administrator_id


@transaction.atomic
def modification_prepare(
    *,
    award: Award,
    actor: User,
    kind: str,
    description: str,
    new_end: date | None = None,
    moves: list[dict] | None = None,
    partner_leaving: Organization | None = None,
) -> Modification:
    award = case_object_lock(award, related=AWARD_RELATED)
    refusal = "Only the Grant Award Administrator or the alternate prepares modifications."
    case_require(user=actor, case=award.case, action=EDIT, message=refusal, not_found=AWARD_NOT_FOUND)
    if actor.pk not in (award.award_administrator_id, award.alternate_administrator_id):
        raise NotAllowed(refusal)
    if award.case.stage not in LIVE_STAGES:
        raise Conflict("Modifications are for an accepted award that is not closed.", code="wrong_stage")
    if kind not in ModificationKind.values:
        raise ServiceError(f"“{kind}” is not a kind of modification.", field="kind", code="invalid")
    if not description.strip():
        raise ServiceError("Describe the modification.", field="description", code="required")
    modification = Modification(award=award, kind=kind, description=description.strip(), prepared_by=actor)
    if kind == ModificationKind.NO_COST_EXTENSION:
        if new_end is None:
            raise ServiceError("Enter the new end date.", field="new_end", code="required")
        if new_end <= award.end:
            raise ServiceError(
                f"A no-cost extension moves the end date later than {award.end:%B} {award.end.day}, {award.end.year}; "
                "it cannot shorten the award.",
                field="new_end",
                code="extension_shortens",
            )
        modification.new_end = new_end
    if kind == ModificationKind.BUDGET:
        modification.moves, modification.moved_amount = _clean_moves(moves or [])
    if partner_leaving is not None:
        modification.partner_leaving = _partner(award, kind, partner_leaving)
    modification.full_clean()
    modification.save()
    data = {"modification": modification.pk, "kind": kind}
    if partner_leaving is not None:
        data["partner_leaving"] = partner_leaving.name
    services.event_record(case=award.case, actor=actor, verb="modification.prepared", data=data)
    return modification


def _partner(award: Award, kind: str, organization: Organization) -> Organization:
    """A partner leaves an award by a scope change, and only a partner does (never the lead or BJA)."""
    if kind != ModificationKind.SCOPE:
        raise ServiceError(
            "A partner leaves the award through a scope change.", field="partner_leaving", code="scope_only"
        )
    if not Participant.objects.filter(case=award.case, organization=organization, role__in=REMOVABLE).exists():
        raise ServiceError(
            f"{organization} is not a partner on this award.", field="partner_leaving", code="not_a_partner"
        )
    return organization


def _locked(modification: Modification) -> tuple[Modification, Award]:
    award = case_object_lock(modification.award, related=AWARD_RELATED)
    return Modification.objects.select_for_update().get(pk=modification.pk), award


@transaction.atomic
def modification_submit(*, modification: Modification, actor: User) -> Modification:
    """Only the Grant Award Administrator submits; a budget change within the threshold is recorded at once."""
    modification, award = _locked(modification)
    refusal = "Only the Grant Award Administrator submits modifications."
    case_require(user=actor, case=award.case, action=EDIT, message=refusal, not_found=AWARD_NOT_FOUND)
    if not _is_administrator(award, actor):
        raise NotAllowed(
            "Only the Grant Award Administrator submits modifications; the alternate may prepare them.",
            code="not_award_administrator",
        )
    if modification.status != ModificationStatus.DRAFT:
        raise Conflict("This modification was already submitted.", code="wrong_status")
    modification.submitted_by, modification.submitted_at = actor, timezone.now()
    modification.status = ModificationStatus.PENDING
    if modification.kind == ModificationKind.BUDGET:
        cumulative = moved_so_far(award) + modification.moved_amount
        modification.cumulative_percent = (100 * cumulative / award.amount).quantize(Decimal("0.01"))
        if modification.cumulative_percent <= award.modification_percent:
            modification.status = ModificationStatus.RECORDED
    modification.save()
    services.event_record(
        case=award.case,
        actor=actor,
        verb="modification.submitted",
        data={
            "modification": modification.pk,
            "kind": modification.kind,
            "status": modification.status,
            "cumulative_percent": str(modification.cumulative_percent or ""),
        },
    )
    return modification


def _extend(award: Award, modification: Modification, actor: User) -> None:
    award.end = modification.new_end
    award.closeout_due = reporting.closeout_due(award.end, award.closeout_days)
    award.full_clean()
    award.save(update_fields=["end", "closeout_due"])
    schedule_regenerate(award=award, actor=actor)


@transaction.atomic
def modification_decide(*, modification: Modification, actor: User, approve: bool, comment: str = "") -> Modification:
    modification, award = _locked(modification)
    award_grant_manager_required(award, actor, "approve or deny modifications")
    if modification.status != ModificationStatus.PENDING:
        raise Conflict("Only a submitted modification waiting for a decision can be decided.", code="wrong_status")
    if not approve and not comment.strip():
        raise ServiceError("Say why the modification is denied.", field="comment", code="required")
    if approve and modification.kind == ModificationKind.NO_COST_EXTENSION:
        if modification.new_end <= award.end:
            raise Conflict("The award already ends on or after this date.", code="extension_shortens")
        _extend(award, modification, actor)
    if approve and modification.partner_leaving_id:
        # The partner's staff lose access to the award in this commit; the timeline says which modification.
        participants.participant_leave(
            case=award.case,
            organization=modification.partner_leaving,
            actor=actor,
            # Not the description: it is free text site staff may redact, and this event would keep a copy.
            reason="BJA approved the scope change (a Grant Award Modification) by which it leaves the award.",
            data={"modification": modification.pk},
        )
    modification.status = ModificationStatus.APPROVED if approve else ModificationStatus.DENIED
    modification.decided_by, modification.decided_at = actor, timezone.now()
    modification.decision_comment = comment.strip()
    modification.save()
    data = {"modification": modification.pk, "kind": modification.kind, "comment": modification.decision_comment}
    if modification.new_end:
        data["new_end"] = str(modification.new_end)
    verb = "modification.approved" if approve else "modification.denied"
    services.event_record(case=award.case, actor=actor, verb=verb, data=data)
    return modification


@transaction.atomic
def modification_request(*, award: Award, actor: User, submit: bool = False, **fields) -> Modification:
    """Prepare, and submit at once when asked: one user action, one transaction (a refused submit keeps nothing)."""
    modification = modification_prepare(award=award, actor=actor, **fields)
    return modification_submit(modification=modification, actor=actor) if submit else modification
