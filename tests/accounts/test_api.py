"""/api/v1/me/, organizations and their members."""

import pytest

from accounts.models import Membership, Organization, OrganizationKind, Role
from tests import factories
from tests.helpers import Write, api_client, assert_access_rules, assert_constant_queries


def test_me_lists_my_organizations_and_roles(admin, organization):
    response = api_client(admin).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["memberships"] == [
        {"id": Membership.objects.get(user=admin).id, "organization": organization.id,
         "organization_name": organization.name, "role": "admin"}
    ]  # fmt: skip


def test_me_may_change_name_and_time_zone_but_not_staff_flag(member):
    response = api_client(member).patch(
        "/api/v1/me/", {"full_name": "M. Member", "time_zone": "America/Denver", "is_staff": True}, format="json"
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert (member.full_name, member.time_zone, member.is_staff) == ("M. Member", "America/Denver", False)


def test_me_rejects_an_unknown_time_zone_naming_the_field(member):
    response = api_client(member).patch("/api/v1/me/", {"time_zone": "Mars/Olympus"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "time_zone"


def test_anonymous_requests_are_refused():
    response = api_client().get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


def test_organizations_list_only_mine(member, organization, outsider):
    data = api_client(member).get("/api/v1/organizations/").json()
    assert [row["name"] for row in data["results"]] == [organization.name]
    assert data["results"][0]["my_role"] == "member"


def test_organization_outsider_404_and_viewer_cannot_write(organization, outsider, viewer, admin):
    url = f"/api/v1/organizations/{organization.id}/"
    assert_access_rules(
        read_url=url,
        writes=[Write("patch", url, {"name": "Renamed"})],
        outsider=outsider,
        viewer=viewer,
        models=[Organization],
    )


def test_organization_admin_edits_and_only_staff_create(organization, admin, staff):
    url = f"/api/v1/organizations/{organization.id}/"
    assert api_client(admin).patch(url, {"jurisdiction": "Sangamon County"}, format="json").status_code == 200
    body = {"name": "Prairie Behavioral Health", "kind": "behavioral_health", "state": "IL"}
    assert api_client(admin).post("/api/v1/organizations/", body, format="json").status_code == 403
    assert api_client(staff).post("/api/v1/organizations/", body, format="json").status_code == 201


def test_only_a_law_enforcement_agency_can_be_a_learning_site(staff):
    body = {"name": "Clinic", "kind": "behavioral_health", "is_learning_site": True}
    response = api_client(staff).post("/api/v1/organizations/", body, format="json")
    assert response.status_code == 400
    assert "Learning Site" in response.json()["message"]


def test_members_outsider_404_and_viewer_cannot_write(organization, outsider, viewer, member):
    members = f"/api/v1/organizations/{organization.id}/members/"
    one = f"{members}{Membership.objects.get(user=member).id}/"
    assert_access_rules(
        read_url=one,
        writes=[
            Write("post", members, {"email": "new@example.org", "role": "member"}),
            Write("patch", one, {"role": "admin"}),
            Write("delete", one),
        ],
        outsider=outsider,
        viewer=viewer,
        models=[Membership],
    )
    assert api_client(outsider).get(members).status_code == 404


def test_admin_invites_changes_role_and_deactivates(organization, admin):
    client = api_client(admin)
    members = f"/api/v1/organizations/{organization.id}/members/"
    created = client.post(
        members, {"email": "clinician@example.org", "full_name": "Cli Nician", "role": "viewer"}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["pending"] is True
    one = f"{members}{created.json()['id']}/"
    assert client.patch(one, {"role": "member"}, format="json").json()["role"] == "member"
    assert client.delete(one).json()["is_active"] is False


def test_invalid_role_for_the_kind_is_400_naming_the_field(organization, admin):
    response = api_client(admin).post(
        f"/api/v1/organizations/{organization.id}/members/",
        {"email": "a@example.org", "role": "grant_manager"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["errors"][0]["field"] == "role"
    assert body["message"].startswith("role:")


def test_bad_email_is_400_naming_the_field(organization, admin):
    response = api_client(admin).post(
        f"/api/v1/organizations/{organization.id}/members/", {"email": "not-an-email", "role": "member"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "email"


def test_removing_the_last_admin_is_a_409_with_a_reason(organization, admin):
    one = f"/api/v1/organizations/{organization.id}/members/{Membership.objects.get(user=admin).id}/"
    response = api_client(admin).delete(one)
    assert response.status_code == 409
    assert response.json()["code"] == "last_admin"


def test_member_list_queries_do_not_grow_with_rows(organization, admin):
    client = api_client(admin)

    def grow(n):
        for _ in range(n):
            factories.member_of(organization, Role.MEMBER)

    assert_constant_queries(
        request=lambda: client.get(f"/api/v1/organizations/{organization.id}/members/?page_size=100"), grow=grow
    )


def test_organization_list_queries_do_not_grow_with_rows(admin):
    client = api_client(admin)

    def grow(n):
        for _ in range(n):
            factories.MembershipFactory(user=admin, organization=factories.OrganizationFactory(), role=Role.MEMBER)

    assert_constant_queries(request=lambda: client.get("/api/v1/organizations/?page_size=100"), grow=grow)


@pytest.mark.parametrize("page_size, expected", [(1000, 100), (10, 10)])
def test_page_size_is_bounded(admin, organization, page_size, expected):
    for _ in range(110):
        factories.member_of(organization)
    response = api_client(admin).get(f"/api/v1/organizations/{organization.id}/members/?page_size={page_size}")
    assert len(response.json()["results"]) == expected


def test_openapi_schema_and_swagger_ui_are_served(member):
    client = api_client(member)
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/organizations/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content


def test_federal_kind_choice_is_in_organization_filter(admin):
    factories.MembershipFactory(
        user=admin, organization=factories.OrganizationFactory(kind=OrganizationKind.FEDERAL), role=Role.VIEWER
    )
    data = api_client(admin).get("/api/v1/organizations/?kind=federal").json()
    assert [row["kind"] for row in data["results"]] == ["federal"]


def test_api_tokens_are_limited_per_user_and_record_the_sign_in(member, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_LIMIT_PER_USER": 2}
    body = {"email": member.email, "password": factories.TEST_PASSWORD}
    client = api_client()
    assert [client.post("/api/v1/auth/token/", body, format="json").status_code for _ in range(2)] == [200, 200]
    refused = client.post("/api/v1/auth/token/", body, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "token_limit"
    member.refresh_from_db()
    assert member.last_login is not None


@pytest.mark.parametrize(
    ("field", "value"), [("kind", OrganizationKind.FEDERAL), ("is_learning_site", True)], ids=["kind", "learning-site"]
)
def test_an_admin_cannot_change_what_the_organization_is(organization, admin, field, value):
    """Kind and Learning Site are site staff's: an admin who could make their agency federal (BJA) would be BJA."""
    before = Organization.objects.values().get(pk=organization.pk)

    response = api_client(admin).patch(
        f"/api/v1/organizations/{organization.id}/", {field: value, "jurisdiction": "Changed"}, format="json"
    )

    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "staff_only" and "site staff" in body["message"]
    assert [error["field"] for error in body["errors"]] == [field]
    assert Organization.objects.values().get(pk=organization.pk) == before, "nothing changes, not even jurisdiction"


def test_an_admin_may_send_the_kind_back_unchanged(organization, admin):
    url = f"/api/v1/organizations/{organization.id}/"
    body = {**api_client(admin).get(url).json(), "jurisdiction": "Sangamon County"}

    response = api_client(admin).patch(url, body, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["jurisdiction"] == "Sangamon County"


def test_site_staff_set_the_kind_and_the_learning_site_designation(organization, staff):
    url = f"/api/v1/organizations/{organization.id}/"
    response = api_client(staff).patch(url, {"is_learning_site": True}, format="json")
    assert response.status_code == 200 and response.json()["is_learning_site"] is True
    response = api_client(staff).patch(url, {"kind": "government", "is_learning_site": False}, format="json")
    assert response.status_code == 200 and response.json()["kind"] == "government"


def test_writes_answer_in_the_shape_of_the_detail(organization, admin, member, staff):
    url = f"/api/v1/organizations/{organization.id}/"

    patched = api_client(admin).patch(url, {"jurisdiction": "Sangamon County"}, format="json")

    assert patched.status_code == 200
    assert patched.json() == api_client(admin).get(url).json()
    assert patched.json()["member_count"] == 2
    created = api_client(staff).post("/api/v1/organizations/", {"name": "Prairie BH", "kind": "behavioral_health"})
    assert created.status_code == 201
    assert created.json() == api_client(staff).get(f"/api/v1/organizations/{created.json()['id']}/").json()
    assert created.json()["member_count"] == 0
