"""Production headers and proxies: the Content-Security-Policy, the API docs behind sign-in, and a client
address that X-Forwarded-For cannot fake (docs/security.md "Deployment: headers and proxies")."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from axes.helpers import get_client_ip_address
from axes.utils import reset
from django.conf import settings
from django.core.cache import cache
from django.test import RequestFactory

from config.proxies import client_ip
from config.settings import BASE_DIR
from tests.config.test_settings import clean_env, production_env, run
from tests.helpers import api_client

TOKEN_URL = "/api/v1/auth/token/"
PAGE_TEMPLATE_DIRS = [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]


@pytest.fixture
def enforced_policy(settings):
    """What production enforces (the test settings, like DJANGO_DEBUG, only report it)."""
    settings.CONTENT_SECURITY_POLICY = settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = None


@pytest.fixture
def _forget_attempts(db):
    """The token throttle counts in the cache and django-axes in its tables: start and end clean."""
    cache.clear()
    reset()
    yield
    cache.clear()
    reset()


def production_settings(**variables: str) -> dict:
    code = (
        "import json\nfrom django.conf import settings\n"
        "print(json.dumps({'csp': settings.CONTENT_SECURITY_POLICY, 'csp_report_only':"
        " settings.CONTENT_SECURITY_POLICY_REPORT_ONLY, 'docs_public': settings.API_DOCS_PUBLIC,"
        " 'num_proxies': settings.REST_FRAMEWORK['NUM_PROXIES'], 'proxies': settings.FORWARDED_ALLOW_IPS,"
        " 'axes_ip': settings.AXES_CLIENT_IP_CALLABLE, 'middleware': settings.MIDDLEWARE}))\n"
    )
    env = clean_env(**variables) if variables.get("DJANGO_DEBUG") else production_env(**variables)
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# Content-Security-Policy


def test_production_enforces_a_self_only_policy_and_debug_only_reports_it():
    production = production_settings()
    assert "csp.middleware.CSPMiddleware" in production["middleware"]
    assert production["csp_report_only"] is None
    assert production["csp"]["DIRECTIVES"]["default-src"] == ["'self'"]
    assert production["csp"]["DIRECTIVES"]["object-src"] == ["'none'"]
    assert "unsafe-inline" not in json.dumps(production["csp"])

    debug = production_settings(DJANGO_DEBUG="1")
    assert debug["csp"] is None and debug["csp_report_only"] == production["csp"]


def test_pages_answer_with_the_policy(enforced_policy, member):
    response = api_client(member).get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy and "form-action 'self'" in policy
    assert "unsafe" not in policy
    assert "default-src 'self'" in api_client().get("/accounts/login/")["Content-Security-Policy"]


def test_swagger_ui_adds_only_data_images(enforced_policy, member):
    """Its stylesheet draws icons as data: URLs; its start-up script is a file, not inline (?script)."""
    response = api_client(member).get("/api/v1/docs/")
    assert response.status_code == 200
    assert "img-src 'self' data:" in response["Content-Security-Policy"]
    page = response.content.decode()
    assert "<style" not in page
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == [], "every script has a src"
    script = api_client(member).get("/api/v1/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")


def page_templates():
    for folder in PAGE_TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            if "/email/" not in path.as_posix():  # Emails are not pages: mail clients want inline styles.
                yield path


@pytest.mark.parametrize("path", list(page_templates()), ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_page_templates_have_no_inline_script_or_style(path):
    text = path.read_text()
    assert " style=" not in text and "<style" not in text, "use a class in a stylesheet"
    assert re.findall(r"<script(?![^>]*\bsrc=)", text) == [], "load scripts from static files"
    assert not re.search(r"\son[a-z]+=", text), "no inline event handlers"


# The API docs


def test_api_docs_need_sign_in_unless_public(settings, member):
    settings.API_DOCS_PUBLIC = False
    assert api_client().get("/api/v1/schema/").status_code in (401, 403)
    docs = api_client().get("/api/v1/docs/")
    assert docs.status_code == 302 and docs.url.startswith("/accounts/login/?next=/api/v1/docs/")
    assert api_client(member).get("/api/v1/schema/").status_code == 200
    assert api_client(member).get("/api/v1/docs/").status_code == 200

    settings.API_DOCS_PUBLIC = True
    assert api_client().get("/api/v1/schema/").status_code == 200
    assert api_client().get("/api/v1/docs/").status_code == 200


def test_api_docs_are_private_in_production_unless_made_public():
    assert production_settings()["docs_public"] is False
    assert production_settings(API_DOCS_PUBLIC="1")["docs_public"] is True
    assert production_settings(DJANGO_DEBUG="1")["docs_public"] is True


# Client addresses behind (or without) proxies


def request_token(client, number: int, forwarded_for: str, remote: str = "127.0.0.1"):
    return client.post(
        TOKEN_URL,
        {"email": f"guess{number}@example.org", "password": "wrong-password-guess"},
        format="json",
        HTTP_X_FORWARDED_FOR=forwarded_for,
        REMOTE_ADDR=remote,
    )


@pytest.mark.usefixtures("_forget_attempts")
def test_a_rotating_x_forwarded_for_does_not_escape_the_token_throttle():
    """The probe: 40 requests, each claiming another address. With no proxy trusted, REMOTE_ADDR counts."""
    client = api_client()
    limit = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"].split("/")[0])

    statuses = [request_token(client, n, f"203.0.113.{n}").status_code for n in range(40)]

    assert statuses[:limit] == [400] * limit
    assert set(statuses[limit:]) == {429}


@pytest.mark.usefixtures("_forget_attempts")
def test_behind_one_trusted_proxy_the_address_it_saw_counts(settings):
    """The client may write anything on the left of X-Forwarded-For; the proxy appends the address it saw."""
    settings.TRUSTED_PROXY_COUNT = 1
    client = api_client()
    limit = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"].split("/")[0])

    statuses = [request_token(client, n, f"203.0.113.{n}, 198.51.100.7").status_code for n in range(limit + 5)]

    assert set(statuses[limit:]) == {429}
    assert request_token(client, 99, "203.0.113.1, 198.51.100.8").status_code == 400, "another client"


@pytest.mark.parametrize(
    ("count", "allowed", "remote", "forwarded", "expected"),
    [
        (0, ["127.0.0.1"], "127.0.0.1", "203.0.113.9", "127.0.0.1"),
        (1, ["127.0.0.1"], "127.0.0.1", "203.0.113.9", "203.0.113.9"),
        (1, ["127.0.0.1"], "127.0.0.1", "10.6.6.6, 203.0.113.9", "203.0.113.9"),
        (2, ["127.0.0.1"], "127.0.0.1", "10.6.6.6, 203.0.113.9, 198.51.100.1", "203.0.113.9"),
        (1, ["127.0.0.1"], "192.0.2.50", "203.0.113.9", "192.0.2.50"),
        (1, ["172.16.0.0/12"], "172.18.0.1", "203.0.113.9", "203.0.113.9"),
        (1, ["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
    ],
    ids=["no-proxy", "one-proxy", "spoofed-left", "two-proxies", "not-from-the-proxy", "network", "no-header"],
)
def test_client_ip_and_the_login_lockout_agree(settings, count, allowed, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    settings.FORWARDED_ALLOW_IPS = allowed
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected
    assert get_client_ip_address(request) == expected, "django-axes counts failures under the same address"


def test_proxy_settings_come_from_the_environment():
    assert production_settings()["num_proxies"] == 0
    assert production_settings()["proxies"] == ["127.0.0.1"]
    loaded = production_settings(TRUSTED_PROXY_COUNT="1", FORWARDED_ALLOW_IPS="10.0.0.0/8, 192.0.2.1")
    assert loaded["num_proxies"] == 1 and loaded["proxies"] == ["10.0.0.0/8", "192.0.2.1"]
    assert loaded["axes_ip"] == "config.proxies.client_ip"


def test_a_malformed_proxy_list_stops_start_up_naming_the_variable():
    result = run(["-c", "import django; django.setup()"], production_env(FORWARDED_ALLOW_IPS="proxy.internal"))
    assert result.returncode != 0
    assert "FORWARDED_ALLOW_IPS" in result.stderr and "Traceback" not in result.stderr


GUNICORN_CONFIG = (
    "import sys\n"
    "sys.argv = ['gunicorn', '--config', 'gunicorn.conf.py', 'config.wsgi:application']\n"
    "from gunicorn.app.wsgiapp import WSGIApplication\n"
    "print(','.join(WSGIApplication('%(prog)s').cfg.forwarded_allow_ips))\n"
)


@pytest.mark.parametrize(
    ("variables", "expected"),
    [({}, "127.0.0.1"), ({"FORWARDED_ALLOW_IPS": "172.16.0.0/12"}, "172.16.0.0/12")],
    ids=["default-loopback-only", "from-the-environment"],
)
def test_gunicorn_believes_forwarded_headers_only_from_the_configured_proxies(variables, expected):
    env = {key: value for key, value in clean_env(**variables).items() if key != "GUNICORN_CMD_ARGS"}
    result = subprocess.run(
        [sys.executable, "-c", GUNICORN_CONFIG], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
