"""Reads on partnerships, their members and agreements."""

from __future__ import annotations

import zoneinfo
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import Organization, User
from partnerships.choices import ASSESSMENT_CHECKLISTS, AgreementKind, AssessmentStatus, MemberRole
from partnerships.models import Agreement, AgreementParty, AgreementStatus, Assessment, Partnership, PartnershipMember
from workflow.access import VIEW, case_access

# Days before expiry at which an agreement's parties are reminded (the reminder engine reads this).
AGREEMENT_REMINDER_DAYS = (90, 30, 7)


def local_today(organization: Organization) -> date:
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(organization.time_zone))


def partnership_with_relations(partnerships: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """The partnerships with their members and lead, newest first."""
    return (
        partnerships.select_related("case__organization", "award")
        .prefetch_related(Prefetch("members", queryset=PartnershipMember.objects.select_related("organization")))
        .order_by("-case__opened_at", "-id")
    )


def partnership_list(*, user: User, action: str = VIEW) -> QuerySet[Partnership]:
    """Partnerships whose case the user may `action`; members and the lead prefetched."""
    return partnership_with_relations(Partnership.objects.filter(case_access(user, action, case_field="case_id")))


def partnership_get(*, user: User, partnership_id: int, action: str = VIEW) -> Partnership:
    """The partnership, or Partnership.DoesNotExist (answer 404) when the user may not `action` it."""
    return partnership_list(user=user, action=action).get(pk=partnership_id)


def agreement_list(*, partnership: Partnership) -> QuerySet[Agreement]:
    return (
        Agreement.objects.filter(partnership=partnership)
        .select_related("document", "created_by")
        .prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("organization", "signed_by"))
        )
        .order_by("-effective_date", "-id")
    )


def partnership_has_mou_in_force(*, partnership: Partnership, today: date | None = None) -> bool:
    """An MOU in force today that the lead agency and at least one behavioral health member signed."""
    lead = partnership.case.organization
    today = today or local_today(lead)
    behavioral_health = set(
        partnership.members.filter(role=MemberRole.BEHAVIORAL_HEALTH).values_list("organization_id", flat=True)
    )
    for agreement in agreement_list(partnership=partnership).filter(kind=AgreementKind.MOU):
        parties = {party.organization_id for party in agreement.parties.all()}
        if agreement.status(today) == AgreementStatus.IN_FORCE and lead.pk in parties and parties & behavioral_health:
            return True
    return False


def partnership_assessment_kinds_missing(*, partnership: Partnership) -> list[str]:
    """Member kinds that have a checklist but no submitted assessment from any member of that kind."""
    kinds = {
        kind
        for kind in partnership.members.values_list("organization__kind", flat=True)
        if kind in ASSESSMENT_CHECKLISTS
    }
    done = set(
        Assessment.objects.filter(partnership=partnership, status=AssessmentStatus.SUBMITTED).values_list(
            "organization__kind", flat=True
        )
    )
    return sorted(kinds - done)


def agreements_expiring(*, today: date, within_days: int) -> QuerySet[Agreement]:
    """Signed agreements that expire in the next `within_days` days (from `today`, not yet expired).

    The hook for the reminder engine: its sweep calls this once per window in
    AGREEMENT_REMINDER_DAYS and keys each notification on (agreement, window,
    recipient), so running it again the same day adds nothing. It is a system
    read, not filtered by user: the recipients are the active admins and members
    of each party organization. Agreements still waiting for a signature are
    left out — they are not in force, so nothing lapses.
    """
    return (
        Agreement.objects.filter(expiry_date__gt=today, expiry_date__lte=today + timedelta(days=within_days))
        .exclude(parties__signed_on__isnull=True)
        .select_related("partnership__case")
        .prefetch_related(Prefetch("parties", queryset=AgreementParty.objects.select_related("organization")))
        .order_by("expiry_date", "id")
    )
