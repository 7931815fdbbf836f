"""Signing in, the dashboard and member management in a real browser, with an accessibility check."""

from __future__ import annotations

import base64
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, Role
from tests.factories import TEST_PASSWORD
from tests.helpers import totp_code

pytestmark = pytest.mark.browser

LOGIN_ERROR = "The email or password is incorrect."
APP_HEADER = "rgb(22, 46, 81)"  # #162e51 from static/css/app.css.
BLOCKING_IMPACTS = {"serious", "critical"}


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    second_step(page, email)


def second_step(page, email: str) -> None:
    """Admins, grant managers and staff must use two-step verification: set it up, or type the app's code.

    As a person would: the secret is read from the setup page (the text beside the QR code), and the code
    is what an authenticator app shows for it now.
    """
    path = urlparse(page.url).path
    if path == "/accounts/two-step/setup/":
        secret = page.locator("#totp-secret").inner_text().replace(" ", "")
        page.get_by_label("Code from your app").fill(totp_code(base64.b32decode(secret)))
        page.get_by_role("button", name="Turn on two-step verification").click()
        page.wait_for_load_state()
        page.get_by_role("link", name="I saved my codes, continue").click()
        page.wait_for_load_state()
    elif path == "/accounts/two-step/":
        device = TOTPDevice.objects.get(user__email=email, confirmed=True)
        page.get_by_label("Authentication code").fill(totp_code(device.bin_key, last_t=device.last_t))
        page.get_by_role("button", name="Verify").click()
        page.wait_for_load_state()


def alert_text(page) -> str:
    return page.get_by_role("alert").inner_text().strip()


def assert_styled(page) -> None:
    """USWDS (from node_modules via STATICFILES_DIRS) and our stylesheet both reached the page and apply."""
    rules = page.evaluate(
        "() => Object.fromEntries([...document.styleSheets].map(s => [new URL(s.href).pathname, s.cssRules.length]))"
    )
    assert rules.get("/static/uswds/css/uswds.min.css", 0) > 1000, rules
    assert rules.get("/static/css/app.css", 0) > 10, rules
    assert page.locator(".app-header").evaluate("el => getComputedStyle(el).backgroundColor") == APP_HEADER
    assert [line for line in page.broken_responses if "/static/" in line] == []


def assert_accessible(page) -> None:
    """No serious or critical axe-core violation (WCAG 2.1 AA is what Section 508 asks of us)."""
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(f"    {node['html']}" for node in v["nodes"])
        for v in blocking
    )
    assert not blocking, f"axe-core found on {page.url}:\n{report}"


def test_sign_in_through_the_form_shows_the_dashboard(page, member, organization):
    sign_in(page, member.email, TEST_PASSWORD)

    assert urlparse(page.url).path == "/"
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Max"
    assert page.get_by_role("heading", name=organization.name).is_visible()
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert_styled(page)


def test_wrong_password_shows_one_plain_error_for_known_and_unknown_emails(page, member):
    sign_in(page, member.email, "not-the-password-at-all")
    known = alert_text(page)
    assert page.url.endswith("/accounts/login/")

    sign_in(page, "nobody@example.org", "not-the-password-at-all")
    unknown = alert_text(page)

    assert known == unknown == LOGIN_ERROR
    assert page.get_by_role("button", name="Sign out").count() == 0


def test_admin_invites_a_member_who_is_listed_as_pending(page, admin, organization):
    sign_in(page, admin.email, TEST_PASSWORD)
    page.get_by_role("link", name="Manage members").click()
    assert page.get_by_role("heading", level=1).inner_text() == organization.name

    invite = page.locator("form").filter(has=page.get_by_role("button", name="Send invitation"))
    invite.get_by_label("Email address").fill("new.clinician@example.org")
    invite.get_by_label("Full name").fill("Nora New")
    invite.get_by_label("Role").select_option(Role.MEMBER)
    invite.get_by_role("button", name="Send invitation").click()
    page.wait_for_load_state()

    assert "new.clinician@example.org was added as Member." in page.get_by_role("status").inner_text()
    row = page.get_by_role("row").filter(has_text="new.clinician@example.org")
    assert "Nora New" in row.inner_text()
    assert "Invitation pending" in row.inner_text()
    assert Membership.objects.filter(organization=organization, user__email="new.clinician@example.org").exists()
    assert_styled(page)


def test_login_dashboard_and_members_pages_have_no_serious_accessibility_violations(page, admin, organization):
    page.goto("/accounts/login/")
    assert_styled(page)
    assert_accessible(page)

    sign_in(page, admin.email, TEST_PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    assert_accessible(page)

    page.goto(f"/organizations/{organization.id}/members/")
    assert page.get_by_role("heading", level=1).inner_text() == organization.name
    assert_accessible(page)


def test_an_invited_person_accepts_from_the_dashboard(page, admin, organization, outsider):
    from accounts.services import membership_invite

    invitation = membership_invite(actor=admin, organization=organization, email=outsider.email, role=Role.MEMBER)
    sign_in(page, outsider.email, TEST_PASSWORD)
    assert page.get_by_role("heading", name="Invitations waiting for you").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name=organization.name).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Invitation to {organization.name}"
    assert_accessible(page)
    page.get_by_role("button", name=f"Accept the invitation to {organization.name}").click()
    page.wait_for_load_state()

    assert f"You joined {organization.name} as Member." in page.get_by_role("status").inner_text()
    assert page.get_by_role("heading", name="Invitations waiting for you").count() == 0
    invitation.refresh_from_db()
    assert invitation.is_active
