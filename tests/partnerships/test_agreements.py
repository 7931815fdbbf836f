"""Agreements: parties are members, each signs for itself, in force only once all signed, and expiry reminders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.errors import Conflict, NotAllowed, ServiceError
from partnerships.models import Agreement, AgreementParty, AgreementStatus
from partnerships.selectors.partnerships import (
    AGREEMENT_REMINDER_DAYS,
    agreements_expiring,
    partnership_has_mou_in_force,
)
from partnerships.services.agreements import agreement_create, agreement_sign
from tests import factories
from tests.factories import organization_today
from workflow.models import Document

from .steps import sign_mou

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def mou(partnership, admin, organization, bh_org):
    return agreement_create(
        partnership=partnership,
        actor=admin,
        kind="mou",
        title="Co-responder MOU",
        parties=[organization, bh_org],
        effective_date=organization_today(),
        expiry_date=organization_today() + timedelta(days=365),
    )


def _status(agreement: Agreement, today: date | None = None) -> str:
    return Agreement.objects.get(pk=agreement.pk).status(today or organization_today())


def test_in_force_only_when_every_party_signed(mou, admin, bh_admin, organization, bh_org, partnership):
    assert _status(mou) == AgreementStatus.AWAITING_SIGNATURES
    agreement_sign(agreement=mou, organization=organization, actor=admin)
    assert _status(mou) == AgreementStatus.AWAITING_SIGNATURES
    assert not partnership_has_mou_in_force(partnership=partnership)
    agreement_sign(agreement=mou, organization=bh_org, actor=bh_admin, signed_on=organization_today())
    assert _status(mou) == AgreementStatus.IN_FORCE
    assert partnership_has_mou_in_force(partnership=partnership)
    assert _status(mou, mou.expiry_date) == AgreementStatus.EXPIRED
    assert _status(mou, mou.effective_date - timedelta(days=1)) == AgreementStatus.NOT_YET_EFFECTIVE
    assert mou.partnership.case.events.filter(verb="agreement.signed").count() == 2


def test_an_organization_that_is_not_a_party_cannot_sign(mou, county_admin, county_org):
    with pytest.raises(ServiceError) as error:
        agreement_sign(agreement=mou, organization=county_org, actor=county_admin)
    assert error.value.code == "not_a_party"
    assert not AgreementParty.objects.filter(signed_on__isnull=False).exists()


def test_a_party_cannot_sign_for_another(mou, admin, bh_org, member, organization):
    with pytest.raises(NotAllowed, match="administrator of Prairie"):
        agreement_sign(agreement=mou, organization=bh_org, actor=admin)
    with pytest.raises(NotAllowed, match="administrator of Springfield"):
        agreement_sign(agreement=mou, organization=organization, actor=member)
    assert not AgreementParty.objects.filter(signed_on__isnull=False).exists()


def test_signing_twice_or_in_the_future_is_refused(mou, admin, organization):
    with pytest.raises(ServiceError, match="future"):
        agreement_sign(agreement=mou, organization=organization, actor=admin, signed_on=date(2999, 1, 1))
    agreement_sign(agreement=mou, organization=organization, actor=admin)
    with pytest.raises(Conflict):
        agreement_sign(agreement=mou, organization=organization, actor=admin)


def test_parties_must_be_members_and_dates_in_order(partnership, admin, organization, bh_org):
    stranger = factories.OrganizationFactory(kind="behavioral_health")
    today = organization_today()
    cases = [
        ({"parties": [organization, stranger]}, "party_not_a_member"),
        ({"parties": [organization]}, "too_few_parties"),
        ({"parties": [organization, bh_org], "expiry_date": today}, "expiry_before_effective"),
        ({"parties": [organization, bh_org], "kind": "handshake"}, "invalid_choice"),
    ]
    for changes, code in cases:
        fields = {"kind": "mou", "title": "MOU", "effective_date": today, **changes}
        with pytest.raises(ServiceError) as error:
            agreement_create(partnership=partnership, actor=admin, **fields)
        assert error.value.code == code
    assert not Agreement.objects.exists()


def test_a_viewer_cannot_record_an_agreement(partnership, viewer, organization, bh_org):
    with pytest.raises(NotAllowed):
        agreement_create(
            partnership=partnership,
            actor=viewer,
            kind="mou",
            title="MOU",
            parties=[organization, bh_org],
            effective_date=organization_today(),
        )


def test_the_signed_file_is_kept_as_a_case_document(partnership, admin, organization, bh_org):
    agreement = agreement_create(
        partnership=partnership,
        actor=admin,
        kind="information_sharing",
        title="Data sharing",
        parties=[organization, bh_org],
        effective_date=organization_today(),
        upload=SimpleUploadedFile("mou.pdf", PDF),
    )
    document = Document.objects.get()
    assert agreement.document == document and document.kind == "agreement" and document.case == partnership.case


def test_a_bad_file_leaves_no_agreement(partnership, admin, organization, bh_org):
    with pytest.raises(ServiceError):
        agreement_create(
            partnership=partnership,
            actor=admin,
            kind="mou",
            title="MOU",
            parties=[organization, bh_org],
            effective_date=organization_today(),
            upload=SimpleUploadedFile("mou.pdf", b"MZ not a pdf"),
        )
    assert not Agreement.objects.exists() and not Document.objects.exists()


def test_agreements_expiring_finds_signed_agreements_entering_each_window(
    partnership, admin, bh_admin, organization, bh_org
):
    today = date(2026, 3, 1)
    soon = sign_mou(
        partnership,
        admin,
        bh_admin,
        organization,
        bh_org,
        effective_date=date(2025, 3, 1),
        expiry_date=today + timedelta(days=30),
    )
    later = sign_mou(
        partnership,
        admin,
        bh_admin,
        organization,
        bh_org,
        effective_date=date(2025, 3, 1),
        expiry_date=today + timedelta(days=80),
    )
    agreement_create(
        partnership=partnership,
        actor=admin,
        kind="mou",
        title="Unsigned",
        parties=[organization, bh_org],
        effective_date=date(2025, 3, 1),
        expiry_date=today + timedelta(days=5),
    )
    sign_mou(
        partnership, admin, bh_admin, organization, bh_org, effective_date=date(2025, 1, 1), expiry_date=today
    )  # already expired today
    assert AGREEMENT_REMINDER_DAYS == (90, 30, 7)
    found = {days: list(agreements_expiring(today=today, within_days=days)) for days in AGREEMENT_REMINDER_DAYS}
    assert found == {90: [soon, later], 30: [soon], 7: []}
