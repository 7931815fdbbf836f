"""Settings come from the environment; a bad environment stops start-up with one readable line.

Each test starts a fresh Python process, because settings are read once at import.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_HOST = "jmhcp.example.gov"

# Every variable config/settings.py reads (first argument of env_str("NAME") and friends), read from
# its source so the list cannot fall behind: none of them may leak in from the shell or CI.
SETTINGS_VARIABLES = set(re.findall(r'\(\s*"([A-Z][A-Z0-9_]+)"', (BASE_DIR / "config" / "settings.py").read_text()))

PRINT_SETTINGS = (
    "import json\n"
    "from django.conf import settings\n"
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'],"
    " 'name': str(settings.DATABASES['default']['NAME']), 'broker': settings.CELERY_BROKER_URL,"
    " 'debug': settings.DEBUG, 'conn_max_age': settings.DATABASES['default']['CONN_MAX_AGE']}))\n"
)


def is_setting(name: str) -> bool:
    # DJANGO_* too: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process, which check --deploy refuses.
    return name.startswith("DJANGO_") or name.removesuffix("_FILE") in SETTINGS_VARIABLES


def clean_env(**variables: str) -> dict[str, str]:
    """The current environment without any setting (nor its ``*_FILE`` twin), plus `variables`."""
    env = {key: value for key, value in os.environ.items() if not is_setting(key)}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.update(variables)
    return env


def production_env(**variables: str) -> dict[str, str]:
    production = {"DJANGO_DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": PRODUCTION_HOST}
    return clean_env(**{**production, **variables})


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)


def loaded_settings(env: dict[str, str]) -> dict:
    result = run(["-c", PRINT_SETTINGS], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_settings_pass_the_deploy_check():
    result = check_deploy(production_env())

    assert result.returncode == 0, result.stdout + result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret_key"
    secret_file.write_text(secrets.token_urlsafe(64) + "\n")
    env = production_env(SECRET_KEY_FILE=str(secret_file))
    del env["SECRET_KEY"]

    result = check_deploy(env)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("named", "change"),
    [
        ("SECRET_KEY", {"SECRET_KEY": None}),
        ("SECRET_KEY", {"SECRET_KEY": "too-short"}),
        ("ALLOWED_HOSTS", {"ALLOWED_HOSTS": None}),
        ("DJANGO_DEBUG", {"DJANGO_DEBUG": "maybe"}),
        ("DATABASE_URL", {"DATABASE_URL": "notaurl"}),
        ("SECRET_KEY_FILE", {"SECRET_KEY": None, "SECRET_KEY_FILE": "/nonexistent/jmhcp/secret_key"}),
    ],
    ids=["secret-key-missing", "secret-key-weak", "allowed-hosts-missing", "debug-malformed",
         "database-url-malformed", "secret-key-file-missing"],
)  # fmt: skip
def test_bad_environment_stops_with_one_line_naming_the_variable(named, change):
    env = production_env()
    for key, value in change.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value

    result = check_deploy(env)

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert named in lines[0]
    assert "Traceback" not in result.stderr


def test_embedded_default_is_sqlite_and_filesystem_broker_under_var():
    loaded = loaded_settings(clean_env(DJANGO_DEBUG="1"))

    assert loaded["engine"] == "django.db.backends.sqlite3"
    assert Path(loaded["name"]).is_relative_to(BASE_DIR / "var")
    assert loaded["broker"].startswith("filesystem://")


def test_database_url_alone_switches_to_postgresql():
    loaded = loaded_settings(clean_env(DJANGO_DEBUG="1", DATABASE_URL="postgres://jmhcp@db.internal:5432/jmhcp"))

    assert loaded["engine"] == "django.db.backends.postgresql"
    assert loaded["name"] == "jmhcp"
    assert loaded["broker"].startswith("filesystem://")


def test_celery_broker_url_alone_switches_to_redis():
    loaded = loaded_settings(clean_env(DJANGO_DEBUG="1", CELERY_BROKER_URL="redis://cache.internal:6379/0"))

    assert loaded["broker"] == "redis://cache.internal:6379/0"
    assert loaded["engine"] == "django.db.backends.sqlite3"


def test_debug_is_off_unless_set():
    env = production_env()
    del env["DJANGO_DEBUG"]

    loaded = loaded_settings(env)

    assert loaded["debug"] is False


def test_development_keeps_no_database_connection_open_between_requests():
    """The development server's threads die with their requests: a persistent connection would be left behind."""
    url = "postgres://jmhcp@db.internal:5432/jmhcp"
    assert loaded_settings(clean_env(DJANGO_DEBUG="1", DATABASE_URL=url))["conn_max_age"] == 0
    assert loaded_settings(production_env(DATABASE_URL=url))["conn_max_age"] == 60
    chosen = clean_env(DJANGO_DEBUG="1", DATABASE_URL=url, DATABASE_CONN_MAX_AGE="5")
    assert loaded_settings(chosen)["conn_max_age"] == 5
