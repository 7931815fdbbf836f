"""``GET /healthz``: is the database reachable, is the broker reachable, when did a worker last run.

Load balancers and uptime monitors read the status code: 503 when the database
or the broker cannot be reached, naming the failing part. A stale worker is
reported but does not fail the check, because web requests still work.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from operations.models import Heartbeat


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


def _check_broker() -> str:
    try:
        with Connection(settings.CELERY_BROKER_URL, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)
            conn.default_channel  # noqa: B018 — opening a channel proves the transport works (filesystem too).
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


def _worker_last_seen(database_ok: bool) -> tuple[str | None, str]:
    if not database_ok:
        return None, "unknown"
    heartbeat = Heartbeat.objects.filter(name="worker").first()
    if heartbeat is None:
        return None, "never"
    age = (timezone.now() - heartbeat.last_seen).total_seconds()
    return heartbeat.last_seen.isoformat(), "ok" if age <= settings.WORKER_HEARTBEAT_STALE_SECONDS else "stale"


@never_cache
@require_GET
def healthz(request):
    database = _check_database()
    broker = _check_broker()
    last_seen, worker = _worker_last_seen(database == "ok")
    failing = [name for name, result in (("database", database), ("broker", broker)) if result != "ok"]
    body = {
        "status": "ok" if not failing else "error",
        "database": database,
        "broker": broker,
        "worker": worker,
        "worker_last_seen": last_seen,
    }
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)
