"""Signing in through the real login form and the token endpoint: same answer for unknown
emails, lockout after repeated failures, and API tokens that expire, revoke and are stored hashed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from axes.utils import reset
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import TEST_PASSWORD

LOGIN_URL = "/accounts/login/"
TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/me/"
WRONG_PASSWORD = "not-the-password-at-all"
LOGIN_ERROR = "The email or password is incorrect."
LOCKED_OUT_TEXT = "Too many sign-in attempts"
UNKNOWN_EMAIL = "nobody@example.org"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_attempts():
    """The token throttle counts in the cache and django-axes in its tables: start and end clean."""
    cache.clear()
    reset()
    yield
    cache.clear()
    reset()


def login(client: Client, email: str, password: str):
    return client.post(LOGIN_URL, {"username": email, "password": password})


def request_token(client: APIClient, email: str, password: str):
    return client.post(TOKEN_URL, {"email": email, "password": password}, format="json")


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def token_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_right_password_signs_in_and_lands_on_the_dashboard(member):
    client = Client()

    response = login(client, member.email, TEST_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert is_signed_in(client)


def test_wrong_password_and_unknown_email_get_the_same_answer(member):
    known = login(Client(), member.email, WRONG_PASSWORD)
    unknown = login(Client(), UNKNOWN_EMAIL, WRONG_PASSWORD)

    assert known.status_code == unknown.status_code == 200
    assert LOGIN_ERROR in known.text
    assert LOGIN_ERROR in unknown.text
    assert known.context["form"].errors == unknown.context["form"].errors


def fail_until_locked(send) -> list[int]:
    """Send `AXES_FAILURE_LIMIT` wrong passwords; the one that reaches the limit is already answered 429."""
    return [send().status_code for _ in range(settings.AXES_FAILURE_LIMIT)]


def test_after_the_failure_limit_even_the_right_password_is_refused(member):
    client = Client()
    statuses = fail_until_locked(lambda: login(client, member.email, WRONG_PASSWORD))
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]

    response = login(client, member.email, TEST_PASSWORD)

    assert response.status_code == 429
    assert LOCKED_OUT_TEXT in response.text
    assert f"Try again in about {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in response.text
    assert not is_signed_in(client)


def test_lockout_is_per_email_not_per_address(member, admin):
    """Colleagues behind one office address are not locked out by one person's typos."""
    fail_until_locked(lambda: login(Client(), member.email, WRONG_PASSWORD))
    client = Client()

    response = login(client, admin.email, TEST_PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_lockout_ends_after_the_cool_off(member):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, member.email, WRONG_PASSWORD)

    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        response = login(client, member.email, TEST_PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_api_token_works_on_me(member):
    response = request_token(APIClient(), member.email, TEST_PASSWORD)

    assert response.status_code == 200, response.content
    assert response.json()["user"]["email"] == member.email
    me = token_client(response.json()["token"]).get(ME_URL)
    assert me.status_code == 200
    assert me.json()["email"] == member.email


def test_api_wrong_password_and_unknown_email_get_the_same_400(member):
    known = request_token(APIClient(), member.email, WRONG_PASSWORD)
    unknown = request_token(APIClient(), UNKNOWN_EMAIL, WRONG_PASSWORD)

    assert known.status_code == unknown.status_code == 400
    assert known.json()["code"] == "invalid_credentials"
    assert known.json() == unknown.json()
    assert not AuthToken.objects.exists()


def test_api_refuses_after_repeated_failures(member):
    client = APIClient()
    statuses = fail_until_locked(lambda: request_token(client, member.email, WRONG_PASSWORD))
    assert statuses == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]

    response = request_token(client, member.email, TEST_PASSWORD)

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "throttled"
    assert not AuthToken.objects.exists()


def test_api_token_requests_are_rate_limited_per_address():
    """Beyond the per-email lockout, one address may not try many emails quickly."""
    client = APIClient()
    limit = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"].split("/")[0])
    for number in range(limit):
        assert request_token(client, f"guess{number}@example.org", WRONG_PASSWORD).status_code == 400

    response = request_token(client, "one-more@example.org", WRONG_PASSWORD)

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"


def test_delete_revokes_the_token(member):
    token = request_token(APIClient(), member.email, TEST_PASSWORD).json()["token"]
    client = token_client(token)

    assert client.delete(TOKEN_URL).status_code == 204

    assert client.get(ME_URL).status_code == 401
    assert not AuthToken.objects.filter(user=member).exists()


def test_expired_token_is_refused(member):
    token = request_token(APIClient(), member.email, TEST_PASSWORD).json()["token"]

    with time_machine.travel(timezone.now() + settings.REST_KNOX["TOKEN_TTL"] + timedelta(minutes=1)):
        response = token_client(token).get(ME_URL)

    assert response.status_code == 401


def test_tokens_are_stored_hashed(member):
    token = request_token(APIClient(), member.email, TEST_PASSWORD).json()["token"]

    row = AuthToken.objects.values().get(user=member)

    assert all(token not in str(value) for value in row.values()), row
