"""Writes on partnerships: open one, edit it, add members."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, OrganizationKind, User
from accounts.selectors import membership_role
from config.errors import NotAllowed, ServiceError
from partnerships.choices import MEMBER_ROLE_KIND, MemberRole, ResponseModel
from partnerships.models import AWARD_KIND, PARTNERSHIP_KIND, Partnership, PartnershipMember
from partnerships.rules import STAFF_ROLES
from workflow.access import EDIT, MANAGE, VIEW, case_require
from workflow.models import Case, ParticipantRole
from workflow.services import case_create, event_record, participant_add

EDITABLE_FIELDS = ("response_models", "jurisdiction", "population_served", "description")


def _check_response_models(values: list[str]) -> list[str]:
    unknown = [value for value in values if value not in ResponseModel.values]
    if unknown:
        raise ServiceError(
            f"“{unknown[0]}” is not a response model.", field="response_models", code="unknown_response_model"
        )
    return list(dict.fromkeys(values))


def _check_member(organization: Organization, role: str) -> None:
    if role not in MemberRole.values or role == MemberRole.LEAD_AGENCY:
        raise ServiceError(f"“{role}” is not a member role.", field="members", code="invalid_role")
    if not organization.is_active:
        raise ServiceError(f"{organization} is not active.", field="members", code="inactive_organization")
    required = MEMBER_ROLE_KIND[role]
    if organization.kind == OrganizationKind.FEDERAL or (required and organization.kind != required):
        label = MemberRole(role).label.lower()
        raise ServiceError(
            f"{organization} ({organization.get_kind_display()}) cannot be the {label}.",
            field="members",
            code="role_does_not_fit_kind",
        )


def _check_award(award: Case | None, actor: User) -> None:
    if award is None:
        return
    if award.kind != AWARD_KIND or not Case.objects.visible_to(actor, VIEW).filter(pk=award.pk).exists():
        raise ServiceError("The funding award must be an award you can see.", field="award", code="invalid_award")


@transaction.atomic
def partnership_create(
    *,
    actor: User,
    lead: Organization,
    title: str,
    members: list[tuple[Organization, str]],
    jurisdiction: str,
    response_models: list[str] | None = None,
    population_served: str = "",
    description: str = "",
    award: Case | None = None,
) -> Partnership:
    """Open a partnership led by a law enforcement agency, with at least one behavioral health partner.

    Each member becomes a case participant (the lead as lead, the others as
    partners), which is what lets its people see and work on the partnership.
    BJA, when it reviews the funding award, reviews the partnership too.
    """
    role = membership_role(user=actor, organization=lead)
    if role is None:
        raise ServiceError("Open a partnership for an agency you work for.", field="lead", code="not_your_organization")
    if role not in STAFF_ROLES:
        raise NotAllowed(f"Your role in {lead} lets you read, not open partnerships.")
    if lead.kind != OrganizationKind.LAW_ENFORCEMENT:
        raise ServiceError(
            "The lead of a partnership must be a law enforcement agency.", field="lead", code="lead_not_law_enforcement"
        )
    seen = {lead.pk}
    for organization, member_role in members:
        _check_member(organization, member_role)
        if organization.pk in seen:
            raise ServiceError(f"{organization} is listed twice.", field="members", code="duplicate_member")
        seen.add(organization.pk)
    if not any(member_role == MemberRole.BEHAVIORAL_HEALTH for _, member_role in members):
        raise ServiceError(
            "A partnership needs at least one behavioral health partner.",
            field="members",
            code="no_behavioral_health_member",
        )
    models = _check_response_models(response_models or [])
    _check_award(award, actor)

    participants = {organization: ParticipantRole.PARTNER for organization, _ in members}
    if award is not None:
        for reviewer in award.participations.filter(role=ParticipantRole.REVIEWER).select_related("organization"):
            participants.setdefault(reviewer.organization, ParticipantRole.REVIEWER)
    case = case_create(kind=PARTNERSHIP_KIND, title=title, organization=lead, actor=actor, participants=participants)
    partnership = Partnership(
        case=case,
        response_models=models,
        jurisdiction=jurisdiction,
        population_served=population_served,
        description=description,
        award=award,
    )
    partnership.full_clean()
    partnership.save()
    now = timezone.now()
    PartnershipMember.objects.bulk_create(
        [PartnershipMember(partnership=partnership, organization=lead, role=MemberRole.LEAD_AGENCY, joined_at=now)]
        + [
            PartnershipMember(partnership=partnership, organization=organization, role=member_role, joined_at=now)
            for organization, member_role in members
        ]
    )
    return partnership


@transaction.atomic
def partnership_update(*, partnership: Partnership, actor: User, **changes) -> Partnership:
    """Change the description of the partnership (response models, jurisdiction, population, description)."""
    case_require(case=partnership.case, user=actor, action=EDIT, message="Only partners who work on it can edit it.")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ServiceError(f"“{sorted(unknown)[0]}” cannot be changed here.", field=sorted(unknown)[0])
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if "response_models" in changes:
        changes["response_models"] = _check_response_models(changes["response_models"])
    for name, value in changes.items():
        setattr(partnership, name, value)
    partnership.full_clean()
    partnership.save(update_fields=list(changes) or None)
    event_record(case=partnership.case, actor=actor, verb="partnership.updated", data={"fields": sorted(changes)})
    return partnership


@transaction.atomic
def partnership_member_add(
    *, partnership: Partnership, organization: Organization, role: str, actor: User, responsibilities: str = ""
) -> PartnershipMember:
    case_require(
        case=partnership.case,
        user=actor,
        action=MANAGE,
        message="Only a partner's administrator can add members.",
    )
    _check_member(organization, role)
    participant_add(case=partnership.case, organization=organization, role=ParticipantRole.PARTNER, actor=actor)
    member = PartnershipMember(
        partnership=partnership, organization=organization, role=role, responsibilities=responsibilities
    )
    member.full_clean()
    member.save()
    return member
