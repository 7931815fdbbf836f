"""What every partnership and TA write checks first: may the actor see the case, and do this on it."""

from __future__ import annotations

from accounts.models import Organization, User
from config.errors import NotAllowed
from workflow.access import EDIT, acting_organizations
from workflow.models import Case


def require_acting_for(*, case: Case, actor: User, organization: Organization, action: str = EDIT, message: str):
    """403 unless the actor works on the case for `organization` (with `action` through it)."""
    if organization.pk not in {org.pk for org in acting_organizations(user=actor, case=case, action=action)}:
        raise NotAllowed(message)
