"""Who acts for whom on a TA request or a partnership, beyond the case rights of ``workflow.access``.

Every check starts from the case's participants, so what a person may see is
still decided by ``Case.objects.visible_to`` alone; these only narrow who may
press which button. Staff means an active admin or member (not a viewer).
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Membership, Role
from workflow.models import Case, Participant, ParticipantRole

STAFF_ROLES = (Role.ADMIN, Role.MEMBER)


def _staff_of(user, organization_id: int | None, roles=STAFF_ROLES) -> bool:
    if organization_id is None or not user.is_authenticated:
        return False
    return Membership.objects.active().filter(user=user, organization_id=organization_id, role__in=roles).exists()


_BJA_GRANT_MANAGER = Q(role=ParticipantRole.REVIEWER, organization__memberships__role=Role.GRANT_MANAGER)


def _participating(user, case: Case, condition: Q) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return Participant.objects.filter(
        condition,
        case=case,
        organization__is_active=True,
        organization__memberships__user=user,
        organization__memberships__is_active=True,
    ).exists()


def is_ta_coordinator(user, case: Case) -> bool:
    """Staff of a Learning Site the request is offered or matched to, or a BJA grant manager on it."""
    site_staff = Q(
        role=ParticipantRole.PARTNER,
        organization__is_learning_site=True,
        organization__memberships__role__in=STAFF_ROLES,
    )
    return _participating(user, case, site_staff | _BJA_GRANT_MANAGER)


def is_matched_site_staff(user, case: Case) -> bool:
    """Staff of the Learning Site the request is matched to, or a BJA grant manager on it."""
    site_id = case.ta_request.matched_site_id
    return _staff_of(user, site_id) or _participating(user, case, _BJA_GRANT_MANAGER)


def is_requester_staff(user, case: Case) -> bool:
    return _staff_of(user, case.organization_id)


def is_requester_or_coordinator(user, case: Case) -> bool:
    return is_requester_staff(user, case) or is_ta_coordinator(user, case)


def answers_assessment(user, assessment) -> bool:
    """Staff of the organization an assessment is about: they answer it for their organization."""
    from workflow.access import EDIT, acting_organizations

    acting = acting_organizations(user=user, case=assessment.partnership.case, action=EDIT)
    return assessment.organization_id in {organization.pk for organization in acting}


def is_lead_admin(user, case: Case) -> bool:
    return _staff_of(user, case.organization_id, roles=(Role.ADMIN,))
