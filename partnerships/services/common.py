"""What every partnership and TA write checks first: may the actor see the case, and do this on it."""

from __future__ import annotations

from accounts.models import Organization, User
from config.errors import NotAllowed, NotFound
from workflow.access import EDIT, VIEW, acting_organizations, case_rights
from workflow.models import Case


def require_right(*, case: Case, actor: User, action: str = EDIT, message: str, not_found: str = "Not found.") -> None:
    """404 when the actor may not see the case, 403 with `message` when they may see it but not `action` it."""
    rights = case_rights(user=actor, case=case)
    if VIEW not in rights:
        raise NotFound(not_found)
    if action not in rights:
        raise NotAllowed(message)


def require_acting_for(*, case: Case, actor: User, organization: Organization, action: str = EDIT, message: str):
    """403 unless the actor works on the case for `organization` (with `action` through it)."""
    if organization.pk not in {org.pk for org in acting_organizations(user=actor, case=case, action=action)}:
        raise NotAllowed(message)
