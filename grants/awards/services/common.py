"""What the award services share: what they lock with the award and who may act (kept apart from them, so
the award, its reports and its modifications import it without importing each other)."""

from __future__ import annotations

from accounts.models import User
from config.errors import NotAllowed
from grants.models import Award
from grants.rules import manages_grant
from workflow.access import REVIEW, case_require

# What the award services read after locking (grants.services.common.case_object_lock), fetched with the award.
AWARD_RELATED = ("case", "case__organization", "application__category", "application__solicitation")
AWARD_NOT_FOUND = "Award not found."


def award_grant_manager_required(award: Award, actor: User, doing: str) -> None:
    refusal = f"Only the award's BJA grant manager may {doing}."
    case_require(user=actor, case=award.case, action=REVIEW, message=refusal, not_found=AWARD_NOT_FOUND)
    if not manages_grant(actor, award.case):
        raise NotAllowed(refusal)
