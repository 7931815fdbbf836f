"""The security log: what it records, who reads it (page and API), and that nothing rewrites it."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from accounts import services
from accounts.models import (
    AppendOnlyError,
    OrganizationKind,
    Role,
    SecurityEvent,
    SecurityEventKind,
    SecurityEventOrganization,
)
from accounts.security_log import security_event_record
from tests import factories
from tests.helpers import api_client, assert_constant_queries

PAGE = "/organizations/{}/security-log/"
API = "/api/v1/organizations/{}/security-log/"


def test_role_changes_invitations_and_removals_are_logged_for_the_organization(admin, member, organization):
    membership = member.memberships.get()
    services.membership_change_role(actor=admin, membership=membership, role=Role.VIEWER)
    invited = services.membership_invite(actor=admin, organization=organization, email="n@example.org", role="member")
    services.membership_deactivate(actor=admin, membership=invited)

    events = list(SecurityEvent.objects.filter(organization_links__organization=organization).order_by("id"))
    assert [(e.kind, e.actor, e.user.email, e.details) for e in events] == [
        (SecurityEventKind.ROLE_CHANGED, admin, member.email, {"from": "member", "to": "viewer"}),
        (SecurityEventKind.MEMBER_ADDED, admin, "n@example.org", {"role": "member"}),
        (SecurityEventKind.MEMBER_REMOVED, admin, "n@example.org", {"role": "member"}),
    ]


def test_a_failed_password_reaches_the_log_of_the_members_organizations(client, member, organization):
    client.post("/accounts/login/", {"username": member.email, "password": "not-it"}, REMOTE_ADDR="203.0.113.7")
    client.post("/accounts/login/", {"username": "nobody@example.org", "password": "not-it"})

    known, unknown = SecurityEvent.objects.filter(kind=SecurityEventKind.SIGN_IN_FAILED).order_by("id")
    assert known.user == member
    assert known.ip_address == "203.0.113.7"
    assert list(known.organizations.all()) == [organization]
    assert unknown.user is None
    assert unknown.email == "nobody@example.org"
    assert list(unknown.organizations.all()) == []


def test_the_address_is_remote_addr_never_a_forwarded_header(client, member):
    client.post(
        "/accounts/login/",
        {"username": member.email, "password": "not-it"},
        REMOTE_ADDR="198.51.100.4",
        HTTP_X_FORWARDED_FOR="10.9.9.9",
        HTTP_USER_AGENT="Mozilla/5.0 (test)",
    )
    event = SecurityEvent.objects.get()
    assert (event.ip_address, event.user_agent) == ("198.51.100.4", "Mozilla/5.0 (test)")


def test_an_export_is_logged_for_the_exporters_organization(client, db):
    bja = factories.OrganizationFactory(name="BJA", kind=OrganizationKind.FEDERAL)
    manager = factories.member_of(bja, Role.GRANT_MANAGER)
    client.force_login(manager)

    assert client.get("/ta/report.csv?year=2025").status_code == 200

    event = SecurityEvent.objects.get(kind=SecurityEventKind.EXPORT)
    assert event.actor == manager
    assert event.details == {"export": "ta_annual_report", "format": "csv", "year": 2025}
    assert list(event.organizations.all()) == [bja]


def test_the_log_is_append_only(member):
    event = security_event_record(kind=SecurityEventKind.SIGN_IN, actor=member, user=member)
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.filter(pk=event.pk).update(kind=SecurityEventKind.SIGN_IN_FAILED)
    with pytest.raises(AppendOnlyError):
        SecurityEventOrganization.objects.all().delete()


@pytest.mark.postgres
@pytest.mark.parametrize("table", ["accounts_securityevent", "accounts_securityeventorganization"])
def test_postgresql_refuses_to_rewrite_the_log(member, table):
    security_event_record(kind=SecurityEventKind.SIGN_IN, actor=member, user=member)
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)


# --- Who reads it ----------------------------------------------------------------------------------------


@pytest.fixture
def logged(admin, member, organization):
    services.membership_change_role(actor=admin, membership=member.memberships.get(), role=Role.VIEWER)
    security_event_record(kind=SecurityEventKind.SIGN_IN, actor=member, user=member, details={"method": "password"})


def test_outsiders_get_404_members_403_admins_and_staff_read_it(client, logged, organization, outsider, member, admin):
    for user, status in ((outsider, 404), (member, 403), (admin, 200)):
        client.force_login(user)
        assert client.get(PAGE.format(organization.id)).status_code == status, user
        assert api_client(user).get(API.format(organization.id)).status_code == status, user

    staff = factories.UserFactory(is_staff=True)
    assert api_client(staff).get(API.format(organization.id)).status_code == 200


def test_the_page_lists_newest_first_filters_by_kind_and_is_linked_from_members(client, logged, admin, organization):
    client.force_login(admin)
    assert (
        f'href="{PAGE.format(organization.id)}"'
        in client.get(f"/organizations/{organization.id}/members/").content.decode()
    )

    page = client.get(PAGE.format(organization.id)).content.decode()
    assert page.index("Signed in") < page.index("Role changed")

    only_roles = client.get(PAGE.format(organization.id) + "?kind=role_changed").content.decode()
    assert "Role changed" in only_roles
    assert '<td data-label="What">Signed in</td>' not in only_roles


def test_the_api_lists_newest_first_and_filters_by_kind(logged, admin, member, organization):
    client = api_client(admin)

    body = client.get(API.format(organization.id)).json()
    assert [row["kind"] for row in body["results"]] == ["sign_in", "role_changed"]
    assert body["results"][1]["actor_email"] == admin.email
    assert body["results"][1]["details"] == {"from": "member", "to": "viewer"}

    only = client.get(API.format(organization.id) + "?kind=sign_in").json()["results"]
    assert [(row["kind"], row["user"]) for row in only] == [("sign_in", member.id)]
    assert client.get(API.format(organization.id) + "?kind=nonsense").status_code == 400


@pytest.mark.parametrize("url", [PAGE, API])
def test_reading_a_page_of_the_log_costs_the_same_queries_however_long_it_is(client, url, admin, member, organization):
    client.force_login(admin)

    def grow(count: int) -> None:
        for _ in range(count):
            security_event_record(kind=SecurityEventKind.SIGN_IN, actor=member, user=member)

    assert_constant_queries(request=lambda: client.get(url.format(organization.id)), grow=grow, small=3, large=40)
