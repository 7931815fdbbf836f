"""Undoing a member added by mistake: the lead agency's admin removes it (never the lead) and can add it back."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Organization, User
from config.errors import NotFound
from partnerships.models import Partnership, PartnershipMember
from workflow.participants import participant_removal, participant_remove, participant_restore


@transaction.atomic
def partnership_member_remove(
    *, partnership: Partnership, organization: Organization, actor: User, reason: str
) -> None:
    """The member and its case participant go together; its staff lose access to the partnership at once.

    The reason is required; the timeline keeps it."""
    member = PartnershipMember.objects.filter(partnership=partnership, organization=organization).first()
    if member is None:
        raise NotFound(f"{organization} is not a member of this partnership.", field="organization")
    kept = {"member_role": member.role, "responsibilities": member.responsibilities}
    # The generic service checks the actor (the lead's admin) and refuses the lead before anything is deleted.
    participant_remove(
        case=partnership.case, organization=organization, actor=actor, reason=reason, data=kept, domain=True
    )
    member.delete()


@transaction.atomic
def partnership_member_restore(
    *, partnership: Partnership, organization: Organization, actor: User
) -> PartnershipMember:
    """Add back a member removed by mistake, with the role and responsibilities it had."""
    participant_restore(case=partnership.case, organization=organization, actor=actor, domain=True)
    removal = participant_removal(case=partnership.case, organization=organization)
    member = PartnershipMember(
        partnership=partnership,
        organization=organization,
        role=removal.data["member_role"],
        responsibilities=removal.data.get("responsibilities", ""),
    )
    member.full_clean()
    member.save()
    return member
