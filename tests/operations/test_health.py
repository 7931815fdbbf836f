"""``GET /healthz``: what load balancers and uptime monitors read.

200 when the database and the broker answer, 503 naming the failing part. The
worker's last heartbeat is reported but never fails the check.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.utils import timezone

from operations.models import Heartbeat
from operations.services import heartbeat_record
from operations.tasks import heartbeat

BASE_DIR = Path(__file__).resolve().parents[2]
DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def health(client):
    def get():
        response = client.get("/healthz")
        assert response["Content-Type"] == "application/json"
        return response, response.json()

    return get


@pytest.mark.django_db
def test_healthy_service_answers_200_with_each_check(health):
    response, body = health()

    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert "failing" not in body
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_worker_never_seen_before_the_first_heartbeat(health):
    response, body = health()

    assert response.status_code == 200
    assert body["worker"] == "never"
    assert body["worker_last_seen"] is None


@pytest.mark.django_db
def test_worker_last_seen_is_the_heartbeat_time(health):
    recorded = heartbeat_record()

    response, body = health()

    assert response.status_code == 200
    assert body["worker"] == "ok"
    assert datetime.fromisoformat(body["worker_last_seen"]) == recorded.last_seen


@pytest.mark.django_db
def test_an_old_heartbeat_is_stale_but_does_not_fail_the_check(health):
    stale_after = django_settings.WORKER_HEARTBEAT_STALE_SECONDS
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)):
        recorded = heartbeat_record()
    with time_machine.travel(recorded.last_seen + timedelta(seconds=stale_after - 5)):
        assert health()[1]["worker"] == "ok"

    with time_machine.travel(recorded.last_seen + timedelta(seconds=stale_after + 5)):
        response, body = health()

    assert response.status_code == 200, "a stale worker is reported, not a reason to take the web out of service"
    assert body["status"] == "ok"
    assert body["worker"] == "stale"
    assert datetime.fromisoformat(body["worker_last_seen"]) == recorded.last_seen


@pytest.mark.django_db
def test_heartbeat_task_writes_the_worker_row():
    before = timezone.now()

    heartbeat.delay()

    row = Heartbeat.objects.get(name="worker")
    assert before <= row.last_seen <= timezone.now()


@pytest.mark.django_db
def test_broker_down_answers_503_naming_the_broker(health, settings):
    settings.CELERY_BROKER_URL = DEAD_REDIS
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 5}

    response, body = health()

    assert response.status_code == 503, body
    assert body["status"] == "error"
    assert body["failing"] == ["broker"]
    assert body["broker"].startswith("error")
    assert body["database"] == "ok"


def test_database_down_answers_503_naming_the_database():
    """A real connection failure in a fresh process: PostgreSQL on a port where nothing listens."""
    script = (
        "import json, django\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/healthz')\n"
        "print(json.dumps({'status': response.status_code, 'body': response.json()}))\n"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY", "SECRET_KEY_FILE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/nothing",
        ALLOWED_HOSTS="testserver",
    )

    result = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503, answer
    assert answer["body"]["failing"] == ["database"]
    assert answer["body"]["database"].startswith("error")
    assert answer["body"]["broker"] == "ok"
    assert answer["body"]["worker"] == "unknown"


@pytest.mark.redis
@pytest.mark.django_db
def test_broker_check_passes_against_real_redis(health):
    response, body = health()

    assert response.status_code == 200, body
    assert body["broker"] == "ok"
