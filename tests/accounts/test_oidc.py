"""Sign-in with Login.gov (OpenID Connect), against a real provider on localhost (tests/oidc_provider.mjs).

The Django test client starts the sign-in; the provider's pages are driven over HTTP as a browser would; the
callback comes back to the test client, and our server exchanges the code with the provider over HTTP.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import SESSION_KEY

from accounts import mfa
from accounts.models import Membership, Role, SecurityEvent, SecurityEventKind, User
from tests import factories
from tests.oidc_provider import running_provider, sign_in_at_provider

UNVERIFIED = "unconfirmed@example.org"
SITE = "http://testserver"


@pytest.fixture(scope="session")
def oidc_provider():
    with running_provider(site_urls=[SITE], unverified=[UNVERIFIED]) as provider:
        yield provider


@pytest.fixture
def oidc(oidc_provider, settings):
    oidc_provider.configure(settings, site_url=SITE)
    return oidc_provider


def sign_in_with_provider(client, email: str, *, start: str = "/accounts/oidc/start/"):
    """The whole round trip: our start page, the provider's sign-in page, our callback. Returns its response."""
    response = client.get(start)
    assert response.status_code == 302, response.content[:300]
    callback = urlsplit(sign_in_at_provider(response["Location"], email))
    assert f"{callback.scheme}://{callback.netloc}" == SITE
    return client.get(f"{callback.path}?{callback.query}")


def signed_in_user_id(client) -> str | None:
    return client.session.get(SESSION_KEY)


def test_the_sign_in_page_offers_login_gov_only_when_configured(db, client, settings):
    settings.OIDC_ENABLED = False
    assert "Sign in with Login.gov" not in client.get("/accounts/login/").content.decode()
    assert client.get("/accounts/oidc/start/").status_code == 404

    settings.OIDC_ENABLED = True
    page = client.get("/accounts/login/?next=/tasks/").content.decode()
    assert "Sign in with Login.gov" in page
    assert 'href="/accounts/oidc/start/?next=/tasks/"' in page


@pytest.mark.oidc
def test_a_verified_email_signs_in_its_account_with_private_key_jwt_and_counts_as_mfa(client, oidc, admin):
    response = sign_in_with_provider(client, admin.email.upper())

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == str(admin.pk)
    assurance = mfa.session_assurance(client.session)
    assert assurance["method"] == "oidc"
    assert assurance["mfa"] is True
    assert assurance["acr"] == "urn:acr.login.gov:auth-only"
    # An organization admin must use MFA; Login.gov's counts, so the dashboard opens without an app code.
    assert client.get("/").status_code == 200
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SIGN_IN, user=admin)
    assert event.details["method"] == "oidc"
    assert event.details["mfa"] is True
    assert event.ip_address == "127.0.0.1"


@pytest.mark.oidc
def test_the_page_asked_for_before_signing_in_opens_after_it(client, oidc, member):
    response = sign_in_with_provider(client, member.email, start="/accounts/oidc/start/?next=/tasks/")
    assert response["Location"] == "/tasks/"

    response = sign_in_with_provider(client, member.email, start="/accounts/oidc/start/?next=https://evil.example/")
    assert response["Location"] == "/"


@pytest.mark.oidc
def test_a_public_client_with_pkce_signs_in_too(client, oidc_provider, settings, member):
    oidc_provider.configure(settings, site_url=SITE, public_client=True)

    response = sign_in_with_provider(client, member.email)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(member.pk)


@pytest.mark.oidc
def test_signing_in_completes_a_pending_invitation(client, oidc, admin, organization):
    from accounts.services import membership_invite

    membership = membership_invite(actor=admin, organization=organization, email="new.lead@example.org", role="member")
    assert membership.is_pending

    response = sign_in_with_provider(client, "new.lead@example.org")

    assert response.status_code == 302
    membership = Membership.objects.select_related("user").get(pk=membership.pk)
    assert not membership.is_pending
    assert signed_in_user_id(client) == str(membership.user_id)
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SIGN_IN, user=membership.user)
    assert event.details["invitation_accepted"] is True
    assert set(event.organizations.all()) == {organization}


@pytest.mark.oidc
def test_an_unknown_email_gets_no_account(db, client, oidc):
    response = sign_in_with_provider(client, "stranger@example.org")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert signed_in_user_id(client) is None
    assert not User.objects.filter(email="stranger@example.org").exists()
    page = client.get("/accounts/login/").content.decode()
    assert "No active account uses stranger@example.org" in page
    failure = SecurityEvent.objects.get(kind=SecurityEventKind.SIGN_IN_FAILED)
    assert failure.email == "stranger@example.org"
    assert failure.details == {"method": "oidc", "factor": "password", "reason": "no_account"}


@pytest.mark.oidc
def test_an_unverified_email_is_refused_with_a_clear_message(client, oidc, organization):
    user = factories.member_of(organization, Role.MEMBER, email=UNVERIFIED)

    response = sign_in_with_provider(client, UNVERIFIED)

    assert response["Location"] == "/accounts/login/"
    assert signed_in_user_id(client) is None
    page = client.get("/accounts/login/").content.decode()
    assert f"Login.gov has not verified the email address {UNVERIFIED}" in page
    failure = SecurityEvent.objects.get(kind=SecurityEventKind.SIGN_IN_FAILED, user=user)
    assert failure.details["reason"] == "email_unverified"
    assert set(failure.organizations.all()) == {organization}


@pytest.mark.oidc
def test_an_inactive_account_is_refused(client, oidc, member):
    User.objects.filter(pk=member.pk).update(is_active=False)

    response = sign_in_with_provider(client, member.email)

    assert response["Location"] == "/accounts/login/"
    assert signed_in_user_id(client) is None


@pytest.mark.oidc
def test_a_locked_email_stays_locked_through_login_gov(client, oidc, member, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": member.email, "password": "wrong-password-guess"})

    response = sign_in_with_provider(client, member.email)

    assert response.status_code == 429
    assert signed_in_user_id(client) is None


@pytest.mark.oidc
def test_a_replayed_callback_signs_nobody_in(client, oidc, member):
    start = client.get("/accounts/oidc/start/")
    callback = urlsplit(sign_in_at_provider(start["Location"], member.email))
    assert client.get(f"{callback.path}?{callback.query}").status_code == 302
    client.logout()

    response = client.get(f"{callback.path}?{callback.query}")

    assert response["Location"] == "/accounts/login/"
    assert signed_in_user_id(client) is None
    assert "did not complete" in client.get("/accounts/login/").content.decode()


@pytest.mark.oidc
def test_a_callback_without_a_started_sign_in_is_refused(db, client, oidc):
    response = client.get("/accounts/oidc/callback/?code=forged&state=forged")

    assert response["Location"] == "/accounts/login/"
    assert signed_in_user_id(client) is None


@pytest.mark.oidc
def test_a_client_signing_with_another_key_gets_no_tokens(client, oidc, settings, member):
    from tests.oidc_provider import key_pair

    settings.OIDC_PRIVATE_KEY, _ = key_pair()  # Not the key the provider knows for our client.

    response = sign_in_with_provider(client, member.email)

    assert response["Location"] == "/accounts/login/"
    assert signed_in_user_id(client) is None
