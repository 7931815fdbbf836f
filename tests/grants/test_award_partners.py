"""A partner leaves an award only through a Grant Award Modification: a scope change naming it, which takes effect
when BJA approves it (its staff lose access in that commit). The generic case API does not remove an award's
partners, and the award page offers no "Remove"."""

from __future__ import annotations

import pytest

from config.errors import Conflict, ServiceError
from grants.awards import services
from grants.models import Modification, ModificationStatus
from tests.grants import award_flow
from tests.grants.test_pages import page_client
from tests.helpers import api_client
from workflow.models import Event, Participant

LEAVES = "Prairie Behavioral Health hands the clinician positions to the county; it leaves the project."


@pytest.fixture
def accepted(award, admin):
    return award_flow.accept(award, admin)


def _scope_change(award, admin, partner, submit=True) -> Modification:
    return services.modification_request(
        award=award, actor=admin, kind="scope", description=LEAVES, partner_leaving=partner, submit=submit
    )


def test_the_generic_case_api_sends_award_partners_to_a_modification(accepted, admin, bh_org):
    url = f"/api/v1/cases/{accepted.case_id}/participants/remove/"
    response = api_client(admin).post(url, {"organization": bh_org.pk, "reason": "Left the project"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "domain_participants"
    assert "Grant Award Modification" in response.json()["message"]
    assert Participant.objects.filter(case=accepted.case, organization=bh_org).exists()
    page = page_client(admin).get(f"/grants/awards/{accepted.pk}/").content.decode()
    assert "/participants/" not in page and "/remove/" not in page, "no remove button on the award page"


def test_a_partner_leaves_when_bja_approves_the_scope_change(accepted, admin, bh_org, bh_admin, grant_manager):
    modification = _scope_change(accepted, admin, bh_org)
    assert modification.status == ModificationStatus.PENDING, "a scope change always waits for BJA"
    page = page_client(bh_admin).get(f"/grants/awards/{accepted.pk}/")
    assert page.status_code == 200, "the partner stays until BJA approves"
    assert f"{bh_org} leaves the award when BJA approves." in page.content.decode()

    services.modification_decide(modification=modification, actor=grant_manager, approve=True)
    assert not Participant.objects.filter(case=accepted.case, organization=bh_org).exists()
    assert page_client(bh_admin).get(f"/grants/awards/{accepted.pk}/").status_code == 404, "access ended at once"
    event = Event.objects.get(case=accepted.case, verb="participant.removed")
    assert event.actor == grant_manager and event.data["modification"] == modification.pk
    assert LEAVES not in event.data["reason"], "no copy of a text site staff may redact"
    page = page_client(admin).get(f"/grants/awards/{accepted.pk}/").content.decode()
    assert f"{bh_org} left the award." in page
    assert f"removed {bh_org} from the case — BJA approved the scope change" in page

    # The lead cannot bring it back through the generic case API either: that too is a modification's business.
    url = f"/api/v1/cases/{accepted.case_id}/participants/restore/"
    response = api_client(admin).post(url, {"organization": bh_org.pk}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "domain_participants"


def test_a_denied_scope_change_keeps_the_partner(accepted, admin, bh_org, grant_manager):
    modification = _scope_change(accepted, admin, bh_org)
    services.modification_decide(modification=modification, actor=grant_manager, approve=False, comment="Not yet.")
    assert Participant.objects.filter(case=accepted.case, organization=bh_org).exists()
    assert not Event.objects.filter(case=accepted.case, verb="participant.removed").exists()


def test_only_a_partner_and_only_by_a_scope_change(accepted, admin, organization, bja, bh_org):
    with pytest.raises(ServiceError) as refused:
        services.modification_request(
            award=accepted, actor=admin, kind="personnel", description=LEAVES, partner_leaving=bh_org
        )
    assert (refused.value.field, refused.value.code) == ("partner_leaving", "scope_only")
    for not_a_partner in (organization, bja):  # The lead, and BJA's reviewing role.
        with pytest.raises(ServiceError) as refused:
            _scope_change(accepted, admin, not_a_partner)
        assert (refused.value.field, refused.value.code) == ("partner_leaving", "not_a_partner")
    assert not Modification.objects.exists()


def test_a_second_approval_for_a_partner_already_gone_is_refused_whole(accepted, admin, bh_org, grant_manager):
    first, second = _scope_change(accepted, admin, bh_org), _scope_change(accepted, admin, bh_org)
    services.modification_decide(modification=first, actor=grant_manager, approve=True)
    with pytest.raises(Conflict) as refused:
        services.modification_decide(modification=second, actor=grant_manager, approve=True)
    assert refused.value.code == "not_taking_part"
    second.refresh_from_db()
    assert second.status == ModificationStatus.PENDING, "nothing approved: BJA denies it instead"


def test_api_names_the_partner_and_approval_takes_it_off(accepted, admin, bh_org, bh_admin, grant_manager):
    url = f"/api/v1/awards/{accepted.pk}/modifications/"
    sent = {"kind": "scope", "description": LEAVES, "partner_leaving": 0, "submit": True}
    response = api_client(admin).post(url, sent, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "partner_leaving"
    response = api_client(admin).post(url, {**sent, "kind": "personnel", "partner_leaving": bh_org.pk}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "scope_only"
    response = api_client(admin).post(url, {**sent, "partner_leaving": bh_org.pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["partner_leaving"] == bh_org.pk and response.json()["status"] == "pending"
    decide = f"/api/v1/modifications/{response.json()['id']}/decide/"
    assert api_client(bh_admin).post(decide, {"approve": True}, format="json").status_code == 403
    assert api_client(grant_manager).post(decide, {"approve": True}, format="json").status_code == 200
    assert not Participant.objects.filter(case=accepted.case, organization=bh_org).exists()
    assert api_client(bh_admin).get(f"/api/v1/awards/{accepted.pk}/").status_code == 404


def test_page_names_the_partner_in_the_modification_form(accepted, admin, bh_org):
    page = page_client(admin).get(f"/grants/awards/{accepted.pk}/").content.decode()
    assert 'name="modification-partner_leaving"' in page and f'value="{bh_org.pk}"' in page
    response = page_client(admin).post(
        f"/grants/awards/{accepted.pk}/modifications/",
        {
            "modification-kind": "scope",
            "modification-description": LEAVES,
            "modification-partner_leaving": bh_org.pk,
            "submit": "1",
        },
    )
    assert response.status_code == 302
    modification = Modification.objects.get()
    assert modification.partner_leaving == bh_org and modification.status == ModificationStatus.PENDING
