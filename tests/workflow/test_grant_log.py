"""Per-case grants and revokes reach the security log; who reviews an application stays out of applicants' logs."""

from __future__ import annotations

from accounts.models import SecurityEvent, SecurityEventKind
from tests import factories
from workflow import services


def test_a_grant_and_its_revoke_are_logged_for_the_case_organizations(case, admin, organization, partner_org, bja):
    consultant = factories.UserFactory(email="consultant@example.org")

    services.case_grant(case=case, user=consultant, permission="view_case", actor=admin)
    services.case_revoke(case=case, user=consultant, permission="view_case", actor=admin)

    granted, revoked = SecurityEvent.objects.filter(user=consultant).order_by("id")
    assert (granted.kind, revoked.kind) == (
        SecurityEventKind.CASE_ACCESS_GRANTED,
        SecurityEventKind.CASE_ACCESS_REVOKED,
    )
    assert granted.actor == admin
    assert granted.details == {"case": case.pk, "permission": "view_case"}
    assert set(granted.organizations.all()) == {organization, partner_org, bja}


def test_a_reviewer_assignment_is_logged_only_for_the_reviewing_agency(case, grant_manager, peer_reviewer, bja):
    services.case_grant(case=case, user=peer_reviewer, permission="review_case", actor=grant_manager)

    event = SecurityEvent.objects.get(kind=SecurityEventKind.CASE_ACCESS_GRANTED)
    assert list(event.organizations.all()) == [bja]
