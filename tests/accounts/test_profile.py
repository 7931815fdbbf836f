"""The profile page and /api/v1/me/: each person's time zone, their first organization's until they pick one."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import TIME_ZONE_CHOICES, Membership, OrganizationKind, Role, User
from accounts.services import membership_accept, membership_invite
from tests import factories
from tests.helpers import api_client

pytestmark = pytest.mark.django_db
US_FIRST = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_zone_list_starts_with_the_united_states_and_its_territories_then_every_other_zone():
    names = [name for name, _ in TIME_ZONE_CHOICES]
    assert names[: len(US_FIRST)] == US_FIRST
    assert {"America/Puerto_Rico", "Pacific/Guam", "Pacific/Pago_Pago"} <= set(names[:12])
    assert names[12] == "Africa/Abidjan" and len(names) == len(set(names)) > 400


def test_the_profile_page_shows_the_zone_with_us_zones_first(member):
    response = _client(member).get("/accounts/profile/")
    assert response.status_code == 200
    html = response.content.decode()
    options = re.findall(r'<option value="([^"]+)"', html)
    assert options[: len(US_FIRST)] == US_FIRST
    assert re.search(r'<option value="America/New_York"[^>]*selected', html)
    assert "Eastern Time (New York)" in html


def test_the_navigation_leads_to_the_profile(member):
    assert 'href="/accounts/profile/"' in _client(member).get("/").content.decode()


def test_picking_a_zone_on_the_page_saves_it_as_chosen_and_pages_follow_it(member):
    client = _client(member)
    response = client.post("/accounts/profile/", {"full_name": "Max Member", "time_zone": "America/Los_Angeles"})
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    member.refresh_from_db()
    assert (member.time_zone, member.time_zone_chosen) == ("America/Los_Angeles", True)
    page = client.get("/accounts/profile/").content.decode()
    assert "Times are now shown in Pacific Time (Los Angeles)." in page
    assert re.search(r"it is now \w{3} \d+, \d{4}, \d+:\d\d [AP]M P[SD]T", page)


def test_an_unknown_zone_is_refused_on_the_field_and_changes_nothing(member):
    response = _client(member).post("/accounts/profile/", {"full_name": "X", "time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-describedby="id_time_zone-error' in html or "id_time_zone-error" in html
    member.refresh_from_db()
    assert (member.time_zone, member.time_zone_chosen, member.full_name) == ("America/New_York", False, "Max Member")


def test_the_profile_page_needs_a_sign_in():
    response = Client().get("/accounts/profile/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_zone_patched_by_api_is_chosen_and_is_validated(member):
    response = api_client(member).patch("/api/v1/me/", {"time_zone": "Pacific/Honolulu"}, format="json")
    assert response.status_code == 200 and response.json()["time_zone"] == "Pacific/Honolulu"
    member.refresh_from_db()
    assert member.time_zone_chosen
    refused = api_client(member).patch("/api/v1/me/", {"time_zone": "Europe/Nowhere"}, format="json")
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "time_zone"
    member.refresh_from_db()
    assert member.time_zone == "Pacific/Honolulu"


def test_a_new_person_takes_their_first_organizations_zone_and_keeps_it_when_joining_another(admin, organization):
    organization.time_zone = "America/Denver"
    organization.save(update_fields=["time_zone"])
    west = factories.OrganizationFactory(name="Coastal Clinic", kind=OrganizationKind.BEHAVIORAL_HEALTH)
    west.time_zone = "America/Los_Angeles"
    west.save(update_fields=["time_zone"])
    west_admin = factories.member_of(west, Role.ADMIN)

    invitation = membership_invite(actor=admin, organization=organization, email="new@example.org", role=Role.MEMBER)
    newcomer = User.objects.get(email="new@example.org")
    assert newcomer.time_zone == "America/Denver"
    membership_accept(actor=newcomer, membership=invitation)
    second = membership_invite(actor=west_admin, organization=west, email=newcomer.email, role=Role.MEMBER)
    membership_accept(actor=newcomer, membership=second)
    newcomer.refresh_from_db()
    assert (newcomer.time_zone, newcomer.time_zone_chosen) == ("America/Denver", False)


def test_an_existing_person_without_a_chosen_zone_takes_the_zone_of_the_first_organization_they_join(
    admin, organization
):
    organization.time_zone = "America/Anchorage"
    organization.save(update_fields=["time_zone"])
    person = factories.UserFactory(email="lone@example.org")
    assert not Membership.objects.filter(user=person).exists()
    membership_accept(
        actor=person,
        membership=membership_invite(actor=admin, organization=organization, email=person.email, role="member"),
    )
    person.refresh_from_db()
    assert person.time_zone == "America/Anchorage"


def test_a_chosen_zone_is_kept_when_joining_a_first_organization(admin, organization):
    person = factories.UserFactory(email="picky@example.org", time_zone="Pacific/Guam", time_zone_chosen=True)
    membership_accept(
        actor=person,
        membership=membership_invite(actor=admin, organization=organization, email=person.email, role="member"),
    )
    person.refresh_from_db()
    assert person.time_zone == "Pacific/Guam"
