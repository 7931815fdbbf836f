"""The funding decision: recorded and moved to "awarded" or "not funded" in one step.

Entering "awarded" opens the award case in the same transaction (the application machine's on_enter hook,
grants.awards.services.award.award_created_hook).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from config.errors import Conflict, ServiceError
from grants.models import Application, Decision, Outcome
from grants.rules import manages_grant
from grants.services.common import (
    APPLICATION_NOT_FOUND,
    APPLICATION_RELATED,
    case_object_lock,
    expect_stage,
    refuse_unless,
)
from grants.validation import money
from workflow import services
from workflow.access import REVIEW, case_require

TRANSITION_FOR = {Outcome.AWARDED: "award", Outcome.NOT_FUNDED: "not_fund"}


def _award_amount(application: Application, amount: Decimal | None) -> Decimal:
    if amount is None:
        raise ServiceError("Enter the award amount.", field="amount", code="required")
    if amount <= 0:
        raise ServiceError("The award amount must be more than $0.", field="amount", code="invalid")
    ceiling = application.category.award_ceiling
    if amount > ceiling:
        raise ServiceError(
            f"The award ({money(amount)}) is above the category's ceiling ({money(ceiling)}).",
            field="amount",
            code="above_ceiling",
        )
    requested = application.amount_requested
    if requested is not None and amount > requested:
        raise ServiceError(
            f"The award ({money(amount)}) is more than the applicants asked for ({money(requested)}).",
            field="amount",
            code="above_request",
        )
    return amount


@transaction.atomic
def decision_record(
    *,
    application: Application,
    actor: User,
    outcome: str,
    amount: Decimal | None = None,
    decided_on: date | None = None,
    conditions: str = "",
) -> Decision:
    """Record the decision (amount, date, conditions) and fire "award" or "not_fund" in the same transaction."""
    application = case_object_lock(application, related=APPLICATION_RELATED)
    refusal = "Only a BJA grant manager records the funding decision."
    rights = case_require(
        user=actor, case=application.case, action=REVIEW, message=refusal, not_found=APPLICATION_NOT_FOUND
    )
    refuse_unless(manages_grant(actor, application.case), refusal)
    expect_stage(application, ("decision",), "record the funding decision")
    if outcome not in Outcome.values:
        raise ServiceError(f"“{outcome}” is not an outcome (awarded or not_funded).", field="outcome", code="invalid")
    if Decision.objects.filter(application=application).exists():
        raise Conflict("The decision is already recorded.", code="already_decided")
    if outcome == Outcome.AWARDED:
        amount = _award_amount(application, amount)
    elif amount is not None:
        raise ServiceError("A decision not to fund has no amount.", field="amount", code="invalid")
    decision = Decision(
        application=application,
        outcome=outcome,
        amount=amount,
        decided_on=decided_on or timezone.localdate(),
        conditions=conditions.strip(),
        decided_by=actor,
    )
    decision.full_clean()
    decision.save()
    comment = f"Award of {money(amount)}" if outcome == Outcome.AWARDED else "Not funded"
    if decision.conditions:
        comment += f" — {decision.conditions}"
    services.case_transition(
        case=application.case, name=TRANSITION_FOR[outcome], actor=actor, comment=comment, rights=rights
    )
    return decision
