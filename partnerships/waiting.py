"""Who acts next in partnerships and TA: the TA roles and the agreement signatures.

The TA request's stages that wait on the Learning Site's coordinators say so in ``partnerships/machines.py``;
here are the roles they name and the step inside a partnership (each signatory organization's admins sign
an agreement). Registered from ``PartnershipsConfig.ready()``.
"""

from __future__ import annotations

from django.urls import reverse

from accounts.models import Role
from partnerships.models import Agreement, TARequest
from partnerships.rules import STAFF_ROLES
from workflow.models import ParticipantRole
from workflow.roles import CaseRole, participant_holders, participant_members, role_register
from workflow.routing import Step, Waiting, step_register

_SITES = {"participant_roles": (ParticipantRole.PARTNER,), "membership_roles": STAFF_ROLES}
_REQUESTER = {"participant_roles": (ParticipantRole.LEAD,), "membership_roles": STAFF_ROLES}


TA_COORDINATORS = CaseRole(
    "ta_coordinators",
    "the Learning Site's TA coordinators",
    # The Learning Sites a request is offered to take part in it as partners (partnerships.rules.is_ta_coordinator).
    members=lambda case_ids: participant_members(case_ids, organization__is_learning_site=True, **_SITES),
    holders=lambda case_ids: participant_holders(case_ids, organization__is_learning_site=True, **_SITES),
)
TA_REQUESTER = CaseRole(
    "ta_requester",
    "the organization that asked for TA",
    members=lambda case_ids: participant_members(case_ids, **_REQUESTER),
    holders=lambda case_ids: participant_holders(case_ids, **_REQUESTER),
)


def acknowledge_due(case_ids: list[int]) -> dict:
    return dict(TARequest.objects.filter(case_id__in=case_ids).values_list("case_id", "acknowledge_due_at"))


def match_due(case_ids: list[int]) -> dict:
    return dict(TARequest.objects.filter(case_id__in=case_ids).values_list("case_id", "match_due_at"))


def agreements_to_sign(case_ids: list[int]) -> list[Waiting]:
    """An agreement with unsigned parties: each such organization's admins sign it."""
    agreements = Agreement.objects.filter(partnership__case_id__in=case_ids, parties__signed_on__isnull=True)
    agreements = agreements.distinct().select_related("partnership").prefetch_related("parties")
    items = []
    for agreement in agreements:
        unsigned = sorted(party.organization_id for party in agreement.parties.all() if party.signed_on is None)
        items.append(
            Waiting(
                step="agreement.signature",
                case_id=agreement.partnership.case_id,
                object_id=agreement.pk,
                action=f"Sign the agreement “{agreement.title}” for your organization",
                url=reverse("partnership-detail", args=[agreement.partnership_id]) + f"#agreement-{agreement.pk}",
                organizations=tuple((organization, Role.ADMIN) for organization in unsigned),
                since=agreement.created_at,
            )
        )
    return items


def register_waiting() -> None:
    from partnerships.models import PARTNERSHIP_KIND

    role_register(TA_COORDINATORS)
    role_register(TA_REQUESTER)
    step_register(
        Step("agreement.signature", "Agreement to sign", agreements_to_sign, kinds=(PARTNERSHIP_KIND,),
             on=("agreement.recorded", "agreement.signed"))
    )  # fmt: skip
