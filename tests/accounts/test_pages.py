"""The dashboard and the organization members page."""

from django.test import Client

from accounts.models import Membership, Role, User


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_dashboard_needs_sign_in(db):
    response = Client().get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_dashboard_shows_my_organizations_and_role(admin, organization):
    page = client_for(admin).get("/").content.decode()
    assert organization.name in page and "Administrator" in page and "Manage members" in page


def test_members_page_outsider_404_viewer_reads_but_cannot_write(organization, outsider, viewer, member):
    url = f"/organizations/{organization.id}/members/"
    membership = Membership.objects.get(user=member)
    writes = [
        (url, {"email": "n@example.org", "role": "member"}),
        (f"{url}{membership.id}/role/", {"role": "admin"}),
        (f"{url}{membership.id}/deactivate/", {}),
    ]
    before = list(Membership.objects.values())
    assert client_for(outsider).get(url).status_code == 404
    for target, data in writes:
        assert client_for(outsider).post(target, data).status_code == 404
    page = client_for(viewer).get(url)
    assert page.status_code == 200 and member.email in page.content.decode()
    assert "Send invitation" not in page.content.decode()
    for target, data in writes:
        assert client_for(viewer).post(target, data).status_code == 403
    assert list(Membership.objects.values()) == before


def test_admin_invites_through_the_form(organization, admin):
    response = client_for(admin).post(
        f"/organizations/{organization.id}/members/",
        {"email": "cit@example.org", "full_name": "C. I. T.", "role": "member"},
        follow=True,
    )
    page = response.content.decode()
    assert "cit@example.org was added" in page and "Invitation pending" in page


def test_form_errors_are_shown_next_to_the_field_and_nothing_is_saved(organization, admin, member):
    response = client_for(admin).post(
        f"/organizations/{organization.id}/members/", {"email": member.email, "role": "member"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_email-error"' in page and "already a member" in page
    response = client_for(admin).post(f"/organizations/{organization.id}/members/", {"email": "bad", "role": "member"})
    assert 'id="id_email-error"' in response.content.decode()
    assert not User.objects.filter(email="bad").exists()


def test_last_admin_cannot_be_removed_from_the_page(organization, admin):
    membership = Membership.objects.get(user=admin)
    response = client_for(admin).post(
        f"/organizations/{organization.id}/members/{membership.id}/role/", {"role": Role.VIEWER}, follow=True
    )
    assert "at least one active administrator" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_admin_changes_a_role_and_removes_access(organization, admin, member):
    membership = Membership.objects.get(user=member)
    client = client_for(admin)
    client.post(f"/organizations/{organization.id}/members/{membership.id}/role/", {"role": Role.VIEWER})
    client.post(f"/organizations/{organization.id}/members/{membership.id}/deactivate/")
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER and not membership.is_active
