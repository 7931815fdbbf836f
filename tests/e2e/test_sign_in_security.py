"""Stories of signing in securely, in a real browser: Login.gov (the local OIDC provider), two-step verification."""

from __future__ import annotations

import base64
from urllib.parse import urlparse

import pytest

from accounts.models import OrganizationKind, Role, SecurityEvent, SecurityEventKind
from tests import factories
from tests.e2e.test_login import assert_accessible, assert_styled, sign_in
from tests.factories import TEST_PASSWORD
from tests.helpers import totp_code
from tests.oidc_provider import running_provider

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def provider(live_server):
    with running_provider(site_urls=[live_server.url]) as running:
        yield running


@pytest.fixture
def grant_manager(db):
    bja = factories.OrganizationFactory(name="Bureau of Justice Assistance", kind=OrganizationKind.FEDERAL)
    return factories.member_of(bja, Role.GRANT_MANAGER, full_name="Grace Manager")


@pytest.mark.oidc
def test_a_grant_manager_signs_in_with_login_gov(page, live_server, provider, settings, grant_manager):
    provider.configure(settings, site_url=live_server.url)

    page.goto("/accounts/login/")
    assert_styled(page)
    assert_accessible(page)
    page.get_by_role("link", name="Sign in with Login.gov").click()
    page.wait_for_load_state()
    assert page.url.startswith(provider.issuer)
    page.get_by_label("Email address").fill(grant_manager.email)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

    # A grant manager must use MFA; Login.gov's counts, so no authenticator app is asked for.
    assert urlparse(page.url).path == "/"
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Grace"
    page.get_by_role("link", name="Grace Manager").click()  # The header name opens the profile page,
    page.wait_for_load_state()
    assert urlparse(page.url).path == "/accounts/profile/"
    page.get_by_role("link", name="Sign-in and security").click()  # which links on to the security page.
    page.wait_for_load_state()
    assert "through Login.gov (multi-factor)" in page.get_by_role("main").inner_text()
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SIGN_IN, user=grant_manager)
    assert event.details["method"] == "oidc"


def test_a_member_turns_on_two_step_verification_and_uses_it(page, member):
    sign_in(page, member.email, TEST_PASSWORD)
    assert urlparse(page.url).path == "/"  # Optional for a member: no second step yet.
    page.get_by_role("link", name=member.full_name).click()  # The header name opens the profile page,
    page.wait_for_load_state()
    page.get_by_role("link", name="Sign-in and security").click()  # which links on to the security page.
    page.wait_for_load_state()
    page.get_by_role("link", name="Set up two-step verification").click()
    page.wait_for_load_state()

    assert page.get_by_role("img", name="QR code").is_visible()
    assert_accessible(page)
    page.get_by_label("Code from your app").fill("000000")
    page.get_by_role("button", name="Turn on two-step verification").click()
    page.wait_for_load_state()
    assert "That code does not match" in page.locator(".usa-error-message").inner_text()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret)
    page.get_by_label("Code from your app").fill(totp_code(key))
    page.get_by_role("button", name="Turn on two-step verification").click()
    page.wait_for_load_state()

    codes = page.get_by_role("list", name="Recovery codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="I saved my codes, continue").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()

    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(member.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == "/accounts/two-step/"
    assert_accessible(page)
    page.get_by_label("Authentication code").fill(codes[0])
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state()

    assert urlparse(page.url).path == "/"
    assert "You used a recovery code; 9 left." in page.get_by_role("status").inner_text()
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.RECOVERY_CODE_USED, user=member).exists()
