"""The Celery beat schedule: every periodic task of the service, in one place."""

BEAT_SCHEDULE = {
    # Proves beat -> broker -> worker end to end; /healthz reports when it last ran.
    "worker-heartbeat": {"task": "tasks.heartbeat", "schedule": 30.0, "options": {"expires": 25}},
}
