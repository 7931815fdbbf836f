"""Writes on agreements (MOU, information sharing): record one, and each party's signature."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import OuterRef
from django.utils import timezone

from accounts.models import Organization, User
from config.errors import Conflict, ServiceError
from partnerships.choices import AgreementKind
from partnerships.models import Agreement, AgreementParty, Partnership
from partnerships.selectors.partnerships import local_today
from partnerships.services.common import require_acting_for
from workflow.access import EDIT, MANAGE, case_require
from workflow.clocks import unflagged
from workflow.documents import document_upload
from workflow.machines import Due
from workflow.models import Visibility
from workflow.services import event_record


@transaction.atomic
def agreement_create(
    *,
    partnership: Partnership,
    actor: User,
    kind: str,
    title: str,
    parties: list[Organization],
    effective_date: date,
    expiry_date: date | None = None,
    upload: UploadedFile | None = None,
) -> Agreement:
    """Record an agreement between member organizations; each party signs it afterwards.

    The signed file, if given, is stored as a case document every participant sees.
    """
    case = partnership.case
    case_require(case=case, user=actor, action=EDIT, message="Only partners who work on it can add agreements.")
    if kind not in AgreementKind.values:
        raise ServiceError(f"“{kind}” is not a kind of agreement.", field="kind", code="invalid_choice")
    member_ids = set(partnership.members.values_list("organization_id", flat=True))
    unique = list({organization.pk: organization for organization in parties}.values())
    outside = [organization for organization in unique if organization.pk not in member_ids]
    if outside:
        raise ServiceError(
            f"{outside[0]} is not a member of this partnership.", field="parties", code="party_not_a_member"
        )
    if len(unique) < 2:
        raise ServiceError("An agreement needs at least two parties.", field="parties", code="too_few_parties")
    if expiry_date is not None and expiry_date <= effective_date:
        raise ServiceError(
            "The expiry date must be after the effective date.", field="expiry_date", code="expiry_before_effective"
        )
    document = None
    if upload is not None:
        document = document_upload(case=case, actor=actor, upload=upload, kind="agreement", visibility=Visibility.ALL)
    agreement = Agreement(
        partnership=partnership,
        kind=kind,
        title=title,
        effective_date=effective_date,
        expiry_date=expiry_date,
        document=document,
        created_by=actor,
    )
    agreement.full_clean()
    agreement.save()
    AgreementParty.objects.bulk_create(AgreementParty(agreement=agreement, organization=org) for org in unique)
    event_record(
        case=case,
        actor=actor,
        verb="agreement.recorded",
        data={"agreement": agreement.pk, "title": title, "kind": kind, "parties": [org.name for org in unique]},
    )
    return agreement


@transaction.atomic
def agreement_sign(
    *, agreement: Agreement, organization: Organization, actor: User, signed_on: date | None = None
) -> AgreementParty:
    """Record that `organization` signed, on `signed_on` (today where it is, by default).

    Only an administrator of that organization records its signature: a partner
    cannot sign for another.
    """
    case = agreement.partnership.case
    case_require(case=case, user=actor, action=EDIT, message="Only partners who work on it can sign agreements.")
    party = AgreementParty.objects.select_for_update().filter(agreement=agreement, organization=organization).first()
    if party is None:
        raise ServiceError(
            f"{organization} is not a party to “{agreement.title}”.", field="organization", code="not_a_party"
        )
    require_acting_for(
        case=case,
        actor=actor,
        organization=organization,
        action=MANAGE,
        message=f"Only an administrator of {organization} can record its signature.",
    )
    if party.signed_on is not None:
        raise Conflict(f"{organization} signed on {party.signed_on:%b %-d, %Y}.", code="already_signed")
    today = local_today(organization)
    signed_on = signed_on or today
    if signed_on > today:
        raise ServiceError("A signature cannot be dated in the future.", field="signed_on", code="signed_in_future")
    party.signed_on, party.signed_by, party.recorded_at = signed_on, actor, timezone.now()
    party.full_clean()
    party.save()
    event_record(
        case=case,
        actor=actor,
        verb="agreement.signed",
        data={"agreement": agreement.pk, "title": agreement.title, "organization": organization.name},
    )
    return party


def agreements_expired(now: datetime) -> Iterator[Due]:
    """The partnership machine's clock: signed agreements of open partnerships whose expiry date has come where
    the lead agency is. From that day they no longer count as in force (``Agreement.status``); the flag puts the
    reason on the partnership's timeline, once per agreement."""
    rows = unflagged(
        Agreement.objects.filter(
            partnership__case__closed_at__isnull=True, expiry_date__lte=now.date() + timedelta(days=1)
        ).exclude(parties__signed_on__isnull=True),
        verb="agreement.expired",
        clock="agreement_expired",
        case_field="partnership__case_id",
        key=OuterRef("id"),
    ).values_list(
        "id", "partnership__case_id", "kind", "title", "expiry_date", "partnership__case__organization__time_zone"
    )
    for agreement_id, case_id, kind, title, expiry, zone in rows:
        if expiry <= timezone.localtime(now, zoneinfo.ZoneInfo(zone)).date():
            label = AgreementKind(kind).label
            day = f"{expiry:%b} {expiry.day}, {expiry.year}"
            reason = f"the {label} “{title}” expired on {day}; it no longer counts as in force"
            yield Due(case_id, reason, key=str(agreement_id), data={"agreement": agreement_id, "title": title})
