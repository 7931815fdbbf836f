"""What every award service does first: lock the award, check the actor (kept apart from the services so that
the award, its reports and its modifications import it without importing each other)."""

from __future__ import annotations

from accounts.models import User
from config.errors import NotAllowed, NotFound
from grants.models import Award
from grants.rules import manages_grant
from workflow.access import REVIEW, VIEW, case_rights
from workflow.models import Case


def award_lock(award: Award) -> Award:
    """Lock the case, then the award (the transition service locks the case first too: no deadlock)."""
    Case.objects.select_for_update().filter(pk=award.case_id).first()
    return (
        Award.objects.select_for_update(of=("self",))
        .select_related("case", "case__organization", "application__category", "application__solicitation")
        .get(pk=award.pk)
    )


def award_require(award: Award, actor: User, action: str, message: str) -> set[str]:
    """404 for who may not see the award, 403 (with `message`) for who lacks `action`."""
    rights = case_rights(user=actor, case=award.case)
    if VIEW not in rights:
        raise NotFound("Award not found.")
    if action not in rights:
        raise NotAllowed(message)
    return rights


def award_grant_manager_required(award: Award, actor: User, doing: str) -> None:
    award_require(award, actor, REVIEW, f"Only the award's BJA grant manager may {doing}.")
    if not manages_grant(actor, award.case):
        raise NotAllowed(f"Only the award's BJA grant manager may {doing}.")
