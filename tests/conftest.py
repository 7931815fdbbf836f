"""Fixtures shared by the suite, and the rule for tests that need a real service.

Tests marked ``postgres``, ``redis``, ``browser`` or ``oidc`` skip with a reason naming what
to start when the service is missing, unless ``REQUIRE_SERVICES=1`` (CI), where a
missing service fails the test instead.
"""

from __future__ import annotations

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

from accounts.models import OrganizationKind, Role
from tests import factories

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _postgres_missing() -> str | None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/jmhcp (see .ci/run)"
    return None


def _redis_missing() -> str | None:
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis://"):
        return "needs Redis: start redis-server and set CELERY_BROKER_URL=redis://127.0.0.1:6379/0"
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=2).close()
    except OSError:
        return f"needs Redis at {parsed.hostname}:{parsed.port}: start redis-server"
    return None


def _browser_missing() -> str | None:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        return f"needs Chromium at {CHROMIUM}: apt-get install chromium"
    return None


def _oidc_provider_missing() -> str | None:
    from tests.oidc_provider import provider_missing

    return provider_missing()


SERVICE_CHECKS = {
    "postgres": _postgres_missing,
    "redis": _redis_missing,
    "browser": _browser_missing,
    "oidc": _oidc_provider_missing,
}


# The longest tests, started first so that no worker is left running one while the other has finished
# (`--dist worksteal` in pyproject.toml: each worker takes half the list in order, and an idle one takes half of
# what the other has not started). Also keeps each module that builds a world once (the demo) on one worker.
SLOW_FIRST = (
    "tests/e2e/test_crawl_browser.py",  # Eleven demo accounts in Chromium with axe: ~30 s.
    "tests/e2e/test_partnership.py",  # The long browser stories: ~20-30 s each.
    "tests/e2e/test_preaward.py",
    "tests/workflow/test_stateful.py",
    "tests/e2e/test_postaward.py",
    "tests/e2e/test_queue.py",
    "tests/reminders/test_reliability.py",  # Real workers killed and restarted.
    "tests/config/test_crawl.py",  # The demo, then eleven walks of 5-10 s.
    "tests/security/test_api_contract.py",  # The demo, then ~150 operations of about a second.
    "tests/security/test_rights_matrix.py",
)


def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        path = item.nodeid.split("::", 1)[0]
        return SLOW_FIRST.index(path) if path in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)  # Stable: the other tests keep their order.


def pytest_runtest_setup(item):
    for marker, check in SERVICE_CHECKS.items():
        if item.get_closest_marker(marker) is None:
            continue
        reason = check()
        if reason is None:
            continue
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
        pytest.skip(reason)


FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """PBKDF2's deliberate slowness buys nothing in tests and costs most of their time.

    Session-wide, so the worlds built once per module (the demo's eleven accounts) hash fast too: a
    function-scoped fixture starts only after them, and PBKDF2 cost about a second per demo account.
    """
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        yield


@pytest.fixture(autouse=True)
def _celery_eager(settings):
    """Tasks run in-process unless a test starts a real worker (those tests override this)."""
    from config.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def organization(db):
    return factories.OrganizationFactory(name="Springfield Police Department", kind=OrganizationKind.LAW_ENFORCEMENT)


@pytest.fixture
def admin(organization):
    return factories.member_of(organization, Role.ADMIN, full_name="Ada Admin")


@pytest.fixture
def member(organization):
    return factories.member_of(organization, Role.MEMBER, full_name="Max Member")


@pytest.fixture
def viewer(organization):
    return factories.member_of(organization, Role.VIEWER, full_name="Vera Viewer")


@pytest.fixture
def outsider(db):
    """A user of another organization: must learn nothing about ours."""
    other = factories.OrganizationFactory(name="Elsewhere Sheriff's Office")
    return factories.member_of(other, Role.ADMIN, full_name="Otto Outsider")


@pytest.fixture
def staff(db):
    return factories.UserFactory(is_staff=True, full_name="Stella Staff")


@pytest.fixture
def site_staff(db):
    """Site staff with the Django admin's full rights (redaction past the case gate)."""
    return factories.UserFactory(is_staff=True, is_superuser=True, full_name="Stella Staff")


@pytest.fixture(scope="session", autouse=True)
def _force_login_is_a_complete_sign_in():
    """`client.force_login(user)` (and `client.login`) stands for a finished sign-in, second factor included.

    Without this, every test of an organization admin or a grant manager would land on the two-step setup
    page (accounts.middleware.SecondFactorMiddleware), as a real password-only session does. Tests of the
    two-step rule itself sign in through the login form, or call `tests.helpers.password_only(client)`.
    Session-wide, so a world a module builds once (`module_db`) signs in the same way.
    """
    from django.test.client import ClientMixin

    from accounts.mfa import session_assurance_record

    original = ClientMixin._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session_assurance_record(session, method="test", mfa=True, factor="test")
        session.save()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ClientMixin, "_login", _login)
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test database commits without waiting for its log to reach the disk (PostgreSQL's asynchronous commit).

    Each commit otherwise waits ~3 ms for an fsync, and a browser story commits two thousand times. A commit is
    seen by every other connection at once either way; only a crash of the server could lose the last ones,
    which a test database does not mind.
    """
    from django.db import connections

    for alias in connections:
        settings_dict = connections[alias].settings_dict
        if settings_dict["ENGINE"] == "django.db.backends.postgresql":
            options = settings_dict.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture(scope="session", autouse=True)
def _transactional_tests_delete_their_rows():
    """A transactional test ends by deleting the rows it wrote, not by truncating every table (tests/flush.py)."""
    from django.test import TransactionTestCase

    from tests.flush import fixture_teardown

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", fixture_teardown)
        yield


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """The database for a world a module's tests share, built once by a module-scoped fixture that asks for this.

    Rows that take seconds to build (the demo, fifty awards through the services) are built once per module and
    process instead of once per test. Everything is rolled back after the module's last test; each test still
    runs in a savepoint of its own (mark the module `django_db`), so none sees another's writes. Keep such a
    world in a module of its own: every test of the module after the first to ask for it sees it. Yields the
    folder the world's uploads go to.
    """
    from django.db import transaction
    from django.test import override_settings

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield media
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads (demo documents too) go to a folder of the test's own, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
