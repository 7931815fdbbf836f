"""Match (cost share) the grantees report per project year."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from accounts.models import User
from config.errors import ServiceError
from grants.awards.services.common import AWARD_NOT_FOUND, AWARD_RELATED
from grants.models import Award, MatchReport
from grants.rules import project_years
from grants.services.common import case_object_lock
from workflow import services
from workflow.access import EDIT, case_require


@transaction.atomic
def match_report(*, award: Award, actor: User, year: int, amount: Decimal, note: str = "") -> MatchReport:
    award = case_object_lock(award, related=AWARD_RELATED)
    refusal = "Only the grantees' staff report match."
    case_require(user=actor, case=award.case, action=EDIT, message=refusal, not_found=AWARD_NOT_FOUND)
    years = project_years(award.start, award.end)
    if year is None or not 1 <= year <= years:
        raise ServiceError(
            f"Year {year} is outside the award: it has project years 1 to {years}.", field="year", code="year_outside"
        )
    if amount is None or amount <= 0:
        raise ServiceError("Enter an amount above $0.", field="amount", code="invalid")
    entry = MatchReport(award=award, year=year, amount=amount, note=note.strip(), reported_by=actor)
    entry.full_clean()
    entry.save()
    services.event_record(
        case=award.case, actor=actor, verb="match.reported", data={"year": year, "amount": str(amount)}
    )
    return entry
