"""Two-step verification: who must use it, the second step of a password sign-in, setup, recovery codes."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.models import OrganizationKind, Role, SecurityEvent, SecurityEventKind
from tests import factories
from tests.factories import TEST_PASSWORD
from tests.helpers import password_only, totp_code


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """A confirmed authenticator and recovery codes, as the setup page leaves them."""
    device = mfa.mfa_enrolment_start(user=user)
    codes = mfa.mfa_enrolment_confirm(user=user, device_id=device.pk, code=totp_code(device.bin_key), request=None)
    device.refresh_from_db()
    return device, codes


def password_sign_in(client, user, next_url: str = ""):
    data = {"username": user.email, "password": TEST_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


@pytest.fixture
def grant_manager(db):
    bja = factories.OrganizationFactory(name="Bureau of Justice Assistance", kind=OrganizationKind.FEDERAL)
    return factories.member_of(bja, Role.GRANT_MANAGER)


# --- Who must use it -------------------------------------------------------------------------------------


def test_admins_grant_managers_and_staff_must_use_a_second_factor_others_may(
    admin, member, viewer, staff, grant_manager, settings
):
    assert mfa.second_factor(admin).required
    assert mfa.second_factor(grant_manager).required
    assert mfa.second_factor(staff).required
    assert not mfa.second_factor(member).required
    assert not mfa.second_factor(viewer).required

    settings.MFA_REQUIRED_ROLES = ["admin", "grant_manager", "member"]
    assert mfa.second_factor(member).required


def test_a_deactivated_admin_membership_no_longer_requires_it(admin, organization):
    admin.memberships.update(is_active=False)
    assert not mfa.second_factor(admin).required


def test_an_unknown_role_in_the_setting_fails_the_system_check(settings):
    from accounts.apps import _check_mfa_roles

    settings.MFA_REQUIRED_ROLES = ["admin", "boss"]
    assert [error.id for error in _check_mfa_roles(None)] == ["accounts.E001"]


# --- Required but not set up: the setup page and nothing else ------------------------------------------


def test_an_admin_without_an_authenticator_is_sent_to_set_one_up(client, admin):
    response = password_sign_in(client, admin, next_url="/tasks/")

    assert response["Location"] == "/accounts/two-step/setup/?next=%2Ftasks%2F"
    assert signed_in(client)
    assert not mfa.session_mfa_done(client.session)
    assert client.get("/tasks/")["Location"] == "/accounts/two-step/setup/?next=%2Ftasks%2F"
    assert client.get("/")["Location"] == "/accounts/two-step/setup/?next=%2F"
    assert client.get("/admin/").status_code == 302
    api = client.get("/api/v1/me/")
    assert api.status_code == 403
    assert api.json()["code"] == "mfa_required"
    assert client.get("/accounts/two-step/setup/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert not signed_in(client)


def test_setting_up_shows_the_secret_and_a_qr_code_then_recovery_codes_once(client, admin):
    password_sign_in(client, admin, next_url="/tasks/")
    page = client.get("/accounts/two-step/setup/?next=/tasks/").content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    assert 'src="data:image/svg+xml;base64,' in page
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert secret.replace(" ", "") == mfa.totp_secret(device).replace(" ", "")
    assert client.get("/accounts/two-step/setup/").content.decode().count(secret) == 1  # Same secret on reload.

    wrong = client.post("/accounts/two-step/setup/", {"otp": "123456", "next": "/tasks/"})
    assert wrong.status_code == 400
    assert "That code does not match" in wrong.content.decode()

    response = client.post("/accounts/two-step/setup/", {"otp": totp_code(device.bin_key), "next": "/tasks/"})
    assert response["Location"] == "/accounts/two-step/recovery-codes/"
    codes_page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page)
    assert len(codes) == 10
    assert 'href="/tasks/"' in codes_page
    assert client.get("/accounts/two-step/recovery-codes/")["Location"] == "/accounts/security/"  # Shown once.
    assert client.get("/tasks/").status_code == 200
    assert mfa.session_mfa_done(client.session)
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.MFA_ENROLLED, user=admin).count() == 1


def test_a_member_signs_in_with_a_password_alone_until_they_turn_it_on(client, member):
    response = password_sign_in(client, member)

    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SIGN_IN, user=member)
    assert event.details == {"method": "password", "mfa": False, "factor": ""}


def test_a_session_that_never_showed_a_second_factor_is_held_at_the_door(client, admin):
    client.force_login(admin)
    password_only(client)

    assert client.get("/")["Location"].startswith("/accounts/two-step/setup/")


def test_the_admin_site_signs_in_through_the_same_form(client):
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/accounts/login/?next=%2Fadmin%2F"


# --- The second step -------------------------------------------------------------------------------------


def test_with_an_authenticator_the_password_alone_signs_nobody_in(client, admin):
    device, _ = enrol(admin)

    response = password_sign_in(client, admin, next_url="/tasks/")

    assert response["Location"] == "/accounts/two-step/?next=%2Ftasks%2F"
    assert not signed_in(client)
    assert client.get("/tasks/")["Location"].startswith("/accounts/login/")

    wrong = client.post("/accounts/two-step/", {"otp": "000000", "next": "/tasks/"})
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    assert not signed_in(client)
    failure = SecurityEvent.objects.get(kind=SecurityEventKind.SIGN_IN_FAILED, user=admin)
    assert failure.details == {"method": "password", "factor": "otp"}

    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows a device down after a failure; a person would wait a second.
    response = client.post(
        "/accounts/two-step/", {"otp": totp_code(device.bin_key, last_t=device.last_t), "next": "/tasks/"}
    )
    assert response["Location"] == "/tasks/"
    assert signed_in(client)
    assert mfa.session_assurance(client.session)["factor"] == "totp"
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SIGN_IN, user=admin)
    assert event.details == {"method": "password", "mfa": True, "factor": "totp"}


def test_a_code_works_once(client, member):
    device, _ = enrol(member)
    device.refresh_from_db()
    code = totp_code(device.bin_key, last_t=device.last_t)
    password_sign_in(client, member)
    assert client.post("/accounts/two-step/", {"otp": code})["Location"] == "/"
    client.logout()

    password_sign_in(client, member)
    assert client.post("/accounts/two-step/", {"otp": code}).status_code == 400


def test_a_recovery_code_works_once_and_is_logged(client, member):
    _, codes = enrol(member)

    password_sign_in(client, member)
    response = client.post("/accounts/two-step/", {"otp": codes[0].upper()})
    assert response["Location"] == "/"
    assert mfa.recovery_codes_left(user=member) == 9
    used = SecurityEvent.objects.get(kind=SecurityEventKind.RECOVERY_CODE_USED)
    assert used.details == {"left": 9}
    client.logout()

    password_sign_in(client, member)
    assert client.post("/accounts/two-step/", {"otp": codes[0]}).status_code == 400


def test_five_wrong_codes_lock_the_email_like_five_wrong_passwords(client, member, settings):
    enrol(member)
    password_sign_in(client, member)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/accounts/two-step/", {"otp": "000000"}).status_code == 400

    assert client.post("/accounts/two-step/", {"otp": "111111"}).status_code == 429
    assert password_sign_in(client, member).status_code == 429
    assert not signed_in(client)
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.SIGN_IN_FAILED, details__locked_out=True).exists()


def test_the_second_step_expires(client, member, settings):
    enrol(member)
    password_sign_in(client, member)
    session = client.session
    session["mfa_pending"]["at"] -= 3600
    session.save()

    response = client.get("/accounts/two-step/")

    assert response["Location"].startswith("/accounts/login/")


# --- One's own account page ---------------------------------------------------------------------------


def test_a_member_turns_it_off_with_a_code_an_admin_cannot(client, member, admin):
    device, _ = enrol(member)
    client.force_login(member)
    device.refresh_from_db()

    assert client.post("/accounts/security/two-step/off/", {"otp": "000000"}).status_code == 400
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post("/accounts/security/two-step/off/", {"otp": totp_code(device.bin_key, last_t=device.last_t)})
    assert response["Location"] == "/accounts/security/"
    assert not mfa.second_factor(member).enrolled
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.MFA_REMOVED, user=member).exists()

    admin_device, _ = enrol(admin)
    client.force_login(admin)
    response = client.post("/accounts/security/two-step/off/", {"otp": totp_code(admin_device.bin_key, last_t=1)})
    assert response.status_code == 400
    assert "Your role requires two-step verification" in response.content.decode()
    assert mfa.second_factor(admin).enrolled


def test_new_recovery_codes_replace_the_old(client, member):
    _, old = enrol(member)
    client.force_login(member)

    response = client.post("/accounts/security/recovery-codes/")

    assert response["Location"] == "/accounts/two-step/recovery-codes/"
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", client.get(response["Location"]).content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)
    assert mfa.mfa_verify(user=member, code=old[0], request=None) is None
    StaticDevice.objects.get(user=member).throttle_reset()
    assert mfa.mfa_verify(user=member, code=new[0], request=None) == "recovery"


def test_replacing_the_authenticator_needs_the_current_one_first(client, member):
    enrol(member)
    client.force_login(member)
    password_only(client)

    assert client.get("/accounts/two-step/setup/")["Location"] == "/accounts/two-step/?next=/accounts/two-step/setup/"


def test_the_account_page_says_how_this_session_signed_in(client, member):
    client.force_login(member)
    page = client.get("/accounts/security/").content.decode()
    assert "Set up two-step verification" in page

    enrol(member)
    page = client.get("/accounts/security/").content.decode()
    assert "Recovery codes left: <strong>10</strong>" in page
    assert "Turn two-step verification off" in page


# --- The API token endpoint ------------------------------------------------------------------------------


def request_token(user, **extra):
    from rest_framework.test import APIClient

    return APIClient().post(
        "/api/v1/auth/token/", {"email": user.email, "password": TEST_PASSWORD, **extra}, format="json"
    )


def test_a_token_needs_the_code_when_the_account_has_an_authenticator(member):
    device, _ = enrol(member)

    missing = request_token(member)
    assert missing.status_code == 400
    assert missing.json()["code"] == "otp_required"
    assert missing.json()["errors"][0]["field"] == "otp"

    wrong = request_token(member, otp="000000")
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "invalid_otp"
    assert wrong.json()["errors"] == [
        {"field": "otp", "code": "invalid_otp", "message": "The code is not right, or it was already used."}
    ]

    device.refresh_from_db()
    device.throttle_reset()
    response = request_token(member, otp=totp_code(device.bin_key, last_t=device.last_t))
    assert response.status_code == 200
    assert response.json()["token"]
    created = SecurityEvent.objects.get(kind=SecurityEventKind.API_TOKEN_CREATED, user=member)
    assert created.details["expiry"]


def test_a_role_that_requires_mfa_gets_no_token_before_setting_it_up(admin, member):
    refused = request_token(admin)
    assert refused.status_code == 403
    assert refused.json()["code"] == "mfa_enrolment_required"
    assert refused.json()["errors"][0]["field"] == "otp"

    assert request_token(member).status_code == 200  # A member without an authenticator: password alone.


def test_wrong_codes_at_the_token_endpoint_lock_the_email(member, settings):
    enrol(member)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert request_token(member, otp="000000").status_code == 400

    locked = request_token(member, otp="000000")

    assert locked.status_code == 429
    assert locked.json()["code"] == "throttled"
    assert request_token(member).status_code == 429


def test_revoking_tokens_is_logged(member):
    from rest_framework.test import APIClient

    token = request_token(member).json()["token"]
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.delete("/api/v1/auth/token/").status_code == 204
    second = request_token(member).json()["token"]
    client = APIClient(HTTP_AUTHORIZATION=f"Token {second}")
    assert client.post("/api/v1/auth/token/all/").status_code == 204

    revoked = SecurityEvent.objects.filter(kind=SecurityEventKind.API_TOKEN_REVOKED, user=member).order_by("id")
    assert [event.details for event in revoked] == [{"count": 1, "all": False}, {"count": 1, "all": True}]
