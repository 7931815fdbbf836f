"""Sign-in through Login.gov, or any OpenID Connect provider, with Authlib.

The provider is found through its discovery document (``OIDC_DISCOVERY_URL``, by default under
``OIDC_ISSUER``). The client authenticates at the token endpoint the way Login.gov asks of web apps,
``private_key_jwt`` (a JWT signed with ``OIDC_PRIVATE_KEY``), or with ``OIDC_CLIENT_SECRET``, or as a public
client; PKCE (S256) is used whenever there is no private key. The ID token's signature, issuer, audience,
expiry and nonce are checked by Authlib; the email comes from the userinfo endpoint, as Login.gov sends it
there only.

Only accounts that exist may sign in this way: the provider's verified email is matched to an active
account (or a pending invitation, which the sign-in completes). Nobody gets an account by signing in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from accounts.models import Membership, User
from config.errors import ServiceError

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10
CLIENT_NAME = "oidc"


class OidcError(ServiceError):
    """The exchange with the provider failed (a stale or forged callback, the provider unreachable)."""

    default_code = "oidc_failed"


class SignInRefused(ServiceError):
    """The provider vouched for someone who may not sign in here."""

    status = 403
    default_code = "sign_in_refused"


@dataclass(frozen=True)
class OidcIdentity:
    issuer: str
    subject: str
    email: str
    email_verified: bool
    acr: str


def oidc_enabled() -> bool:
    return bool(settings.OIDC_ENABLED)


@lru_cache(maxsize=4)
def _client(discovery_url: str, client_id: str, private_key: str, client_secret: str, scopes: str) -> DjangoOAuth2App:
    """One Authlib client per configuration; it keeps the discovery document and the provider's keys."""
    client_kwargs: dict = {"scope": scopes, "default_timeout": TIMEOUT_SECONDS}
    auth_methods = None
    secret = client_secret or None
    if private_key:
        client_kwargs["token_endpoint_auth_method"] = PrivateKeyJWT.name
        auth_methods = [PrivateKeyJWT()]
        secret = private_key
    else:
        client_kwargs["code_challenge_method"] = "S256"
    oauth = OAuth()
    return oauth.register(
        name=CLIENT_NAME,
        client_id=client_id,
        client_secret=secret,
        server_metadata_url=discovery_url,
        client_kwargs=client_kwargs,
        client_auth_methods=auth_methods,
    )


def oidc_client() -> DjangoOAuth2App:
    return _client(
        settings.OIDC_DISCOVERY_URL,
        settings.OIDC_CLIENT_ID,
        settings.OIDC_PRIVATE_KEY,
        settings.OIDC_CLIENT_SECRET,
        settings.OIDC_SCOPES,
    )


def oidc_redirect_uri() -> str:
    """The callback registered with the provider: from SITE_URL, never from the request's Host header."""
    return settings.SITE_URL + reverse("oidc-callback")


def oidc_authorize_redirect(*, request: HttpRequest) -> HttpResponseRedirect:
    """Send the browser to the provider; Authlib keeps state, nonce and PKCE verifier in the session."""
    params = {}
    if settings.OIDC_ACR_VALUES:
        params["acr_values"] = settings.OIDC_ACR_VALUES
    if settings.OIDC_PROMPT:
        params["prompt"] = settings.OIDC_PROMPT
    try:
        return oidc_client().authorize_redirect(request, oidc_redirect_uri(), **params)
    except Exception as exc:  # Discovery failed: the provider is down or misconfigured.
        log.warning("OIDC discovery failed: %s", exc)
        raise OidcError(f"{settings.OIDC_PROVIDER_NAME} cannot be reached right now. Try again later.") from None


def oidc_identity_from_callback(*, request: HttpRequest) -> OidcIdentity:
    """Exchange the callback's code for tokens, check the ID token, read the email from userinfo."""
    client = oidc_client()
    try:
        token = client.authorize_access_token(request)
        claims = token.get("userinfo")
        if not claims:
            raise ValueError("the provider returned no ID token")
        issuer = client.load_server_metadata().get("issuer", "")
        if issuer.rstrip("/") != settings.OIDC_ISSUER.rstrip("/"):
            raise ValueError(f"issuer {issuer!r} is not the configured OIDC_ISSUER")
        userinfo = client.userinfo(token=token)
        if userinfo.get("sub") != claims.get("sub"):
            raise ValueError("userinfo is about another subject than the ID token")
    except Exception as exc:  # Authlib, requests and joserfc raise many kinds; all mean "start again".
        log.warning("OIDC sign-in failed: %s", exc)
        raise OidcError(f"Signing in with {settings.OIDC_PROVIDER_NAME} did not complete. Try again.") from None
    verified = userinfo.get("email_verified")
    return OidcIdentity(
        issuer=issuer,
        subject=str(claims["sub"]),
        email=(userinfo.get("email") or "").strip().lower(),
        email_verified=verified is True or str(verified).lower() == "true",
        acr=str(claims.get("acr") or ""),
    )


def oidc_user_for_identity(*, identity: OidcIdentity) -> User:
    """The active account whose email the provider verified. Unknown emails never get an account."""
    provider = settings.OIDC_PROVIDER_NAME
    if not identity.email:
        raise SignInRefused(f"{provider} did not share an email address, so we cannot tell who you are.")
    if not identity.email_verified:
        raise SignInRefused(
            f"{provider} has not verified the email address {identity.email}. Confirm it with {provider}, "
            "then sign in again.",
            code="email_unverified",
        )
    user = User.objects.filter(email__iexact=identity.email).first()
    if user is None or not user.is_active:
        raise SignInRefused(
            f"No active account uses {identity.email}. Ask your organization's administrator to invite this "
            "address, or sign in with the address you were invited with.",
            code="no_account",
        )
    if user.last_login is None and not user.has_usable_password():
        # An account made by an invitation and never used: signing in with the invited address answers the
        # invitation, as choosing a password from the invitation link does.
        from accounts.services import membership_accept

        for membership in Membership.objects.pending().filter(user=user):
            membership_accept(actor=user, membership=membership)
    return user
