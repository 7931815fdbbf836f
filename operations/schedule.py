"""The Celery beat schedule: every periodic task of the service, in one place.

This module must not import Django (nor any app): ``config/settings.py`` imports it while settings are
still being read, and builds the schedule with the intervals it reads from the environment. Tasks are
therefore named by string. Nothing is scheduled as a far-future ETA: due dates live in the database and
these few periodic jobs look at them (docs/reminders.md).
"""


def beat_schedule(*, sweep_seconds: int = 300, delivery_seconds: int = 60, digest_seconds: int = 900) -> dict:
    return {
        # Proves beat -> broker -> worker end to end; /healthz reports when it last ran.
        "worker-heartbeat": {"task": "operations.heartbeat", "schedule": 30.0, "options": {"expires": 25}},
        # Finds deadlines entering a reminder window and writes their notifications to the outbox.
        "reminders-sweep": {
            "task": "reminders.sweep",
            "schedule": float(sweep_seconds),
            "options": {"expires": sweep_seconds * 0.9},
        },
        # Fires the transitions and raises the flags that time brings (workflow/clocks.py): closeout opens, an
        # offer lapses. Same interval as the reminder sweep, so a lapse is never much later than its day.
        "workflow-clocks": {
            "task": "workflow.clocks",
            "schedule": float(sweep_seconds),
            "options": {"expires": sweep_seconds * 0.9},
        },
        # Sends what the outbox holds: picks up anything whose on-commit nudge was lost (broker down).
        "notifications-deliver": {
            "task": "reminders.deliver",
            "schedule": float(delivery_seconds),
            "options": {"expires": delivery_seconds * 0.9},
        },
        # Starts each user's daily digest once it is morning where they are.
        "digests-start": {
            "task": "reminders.digests",
            "schedule": float(digest_seconds),
            "options": {"expires": digest_seconds * 0.9},
        },
    }


BEAT_SCHEDULE = beat_schedule()
