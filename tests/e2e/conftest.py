"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One browser per test process, one fresh context (cookies, storage) and page per test.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import CHROMIUM

# Playwright's sync API runs an event loop in this thread, so Django takes the factories' and
# fixtures' ORM calls for calls from async code. They are not: they run before or between page actions.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, started with a placeholder MEDIA_URL.

    Django's live server mounts MEDIA_ROOT at MEDIA_URL and fails every request when it is None, which is
    how our settings say "uploads have no public URL". The handler reads it once, while the server starts,
    so the placeholder lives only that long and the app under test keeps None.
    """
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    address = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    with override_settings(MEDIA_URL="/live-server-media/"):
        server = LiveServer(address)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A page on the live server; `page.broken_responses` lists every request that failed or answered 4xx/5xx."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.broken_responses = []
    page.on("response", lambda r: r.status >= 400 and page.broken_responses.append(f"{r.status} {r.url}"))
    page.on("requestfailed", lambda r: page.broken_responses.append(f"failed {r.url}: {r.failure}"))
    yield page
    context.close()
