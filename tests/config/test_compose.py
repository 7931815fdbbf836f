"""docker-compose.yml and the Dockerfile describe the production shape (DESIGN "Outside contract").

Docker cannot run in the test environment, so these tests read the files and check what a
reviewer would: the five services, their commands, health checks, start order, volumes and settings.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from config.settings import BASE_DIR

COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
DOCKERFILE = BASE_DIR / "Dockerfile"
APP_SERVICES = ("web", "worker", "beat")
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}
VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def with_defaults(value: str) -> str:
    """The value as compose would see it with no variables set; a required variable stays visible."""

    def replace(match: re.Match) -> str:
        if match["op"] in (":-", "-"):
            return match["arg"]
        if match["op"] in (":?", "?"):
            return f"<required {match['name']}>"
        return ""

    return VARIABLE.sub(replace, str(value))


def command_line(service: dict) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else command


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {name: with_defaults(value) for name, value in env.items()}


def healthcheck_command(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else test


def test_the_five_services_exist(services):
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    assert services["postgres"]["image"].split(":") == ["postgres", "16"]
    assert services["redis"]["image"].split(":") == ["redis", "7"]
    for name in APP_SERVICES:
        assert services[name]["build"] == ".", f"{name} must run the image built from this repository"


def test_web_runs_migrations_then_gunicorn(services):
    command = command_line(services["web"])
    assert "manage.py migrate --noinput" in command
    assert "gunicorn config.wsgi" in command
    assert command.index("manage.py migrate") < command.index("gunicorn"), "migrations must run first"
    # `a; b` would start gunicorn on a half-migrated database; `a && b` does not.
    between = command[command.index("manage.py migrate") : command.index("gunicorn")]
    assert "&&" in between
    assert "0.0.0.0:8000" in command
    workers = re.search(r"(?:--workers|-w)[ =](\d+)", command)
    assert workers is not None and int(workers[1]) >= 2, "gunicorn needs at least two workers"


def test_worker_and_beat_run_celery_with_the_config_app(services):
    assert command_line(services["worker"]).startswith("celery -A config worker")
    assert command_line(services["beat"]).startswith("celery -A config beat")


def test_postgres_and_redis_have_healthchecks(services):
    assert "pg_isready" in healthcheck_command(services["postgres"])
    assert "redis-cli ping" in healthcheck_command(services["redis"])


def test_web_healthcheck_reads_healthz(services):
    check = healthcheck_command(services["web"])
    assert "/healthz" in check
    assert ":8000" in check


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_start_after_postgres_and_redis_are_healthy(services, name):
    depends_on = services[name]["depends_on"]
    assert isinstance(depends_on, dict), "the list form of depends_on does not wait for health"
    for dependency in ("postgres", "redis"):
        assert depends_on[dependency]["condition"] == "service_healthy", f"{name} → {dependency}"


def test_named_volumes_are_declared_and_used(compose, services):
    declared = set(compose["volumes"])
    mounts = {
        (name, volume.split(":")[0], volume.split(":")[1])
        for name, service in services.items()
        for volume in service.get("volumes", [])
    }
    used = {source for _, source, _ in mounts}
    for _, source, _ in mounts:
        assert not source.startswith((".", "/")), f"bind mount {source}: use a named volume"
    assert used == declared, f"declared but unused: {declared - used}; used but undeclared: {used - declared}"
    assert any(name == "postgres" and target == "/var/lib/postgresql/data" for name, _, target in mounts)
    assert any(name == "redis" and target == "/data" for name, _, target in mounts)
    assert ("web", "media", "/app/var/media") in mounts, "uploads (MEDIA_ROOT, var/media) must outlive the container"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_point_at_the_compose_postgres_and_redis(services, name):
    env = environment(services[name])
    database = urlparse(env["DATABASE_URL"])
    assert database.scheme in ("postgres", "postgresql")
    assert database.hostname == "postgres"
    broker = urlparse(env["CELERY_BROKER_URL"])
    assert broker.scheme == "redis"
    assert broker.hostname == "redis"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_run_with_production_settings(services, name):
    env = environment(services[name])
    assert env["DJANGO_DEBUG"].lower() in ("0", "false", "no", "off")
    assert env["SECRET_KEY"] == "<required SECRET_KEY>", "no secret key may be written into the file"
    assert env["ALLOWED_HOSTS"]
    assert env["EMAIL_URL"]
    assert env["SECURE_SSL_REDIRECT"] == "0", "the local stack serves plain http on localhost"


def test_every_variable_passed_to_the_app_is_one_the_settings_read(services):
    settings_source = (BASE_DIR / "config" / "settings.py").read_text()
    for name in APP_SERVICES:
        for variable in environment(services[name]):
            assert f'"{variable}"' in settings_source, f"{name}: config/settings.py does not read {variable}"


def dockerfile_instructions() -> list[str]:
    """Instructions with continuation lines joined and comments dropped."""
    lines = [line for line in DOCKERFILE.read_text().splitlines() if not line.lstrip().startswith("#")]
    return [" ".join(part.split()) for part in "\n".join(lines).replace("\\\n", " ").splitlines() if part.strip()]


def test_dockerfile_installs_the_lock_and_serves_with_gunicorn_as_a_non_root_user():
    assert DOCKERFILE.exists()
    instructions = dockerfile_instructions()
    assert instructions[-1].startswith("CMD") and "gunicorn" in instructions[-1] and "config.wsgi" in instructions[-1]
    final_stage = instructions[max(i for i, line in enumerate(instructions) if line.startswith("FROM")) :]
    assert final_stage[0].startswith("FROM python:3.11-slim")
    assert any(re.match(r"RUN .*pip install .*-r requirements\.lock", line) for line in final_stage)
    assert any(line.startswith("RUN") and "collectstatic --noinput" in line for line in final_stage)
    users = [line.split()[1] for line in final_stage if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0"), "the service must not run as root"


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image():
    ignored = set(Path(BASE_DIR / ".dockerignore").read_text().split())
    assert {".venv", "node_modules", "var", ".env", ".git"} <= ignored
