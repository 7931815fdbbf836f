"""Celery tasks: thin, idempotent wrappers around services. Their schedule is in operations/schedule.py."""

import logging

from celery import shared_task

from reminders.services.delivery import notifications_deliver as deliver
from reminders.services.digests import digests_start as start_digests
from reminders.services.sweep import reminders_sweep as sweep

logger = logging.getLogger(__name__)


@shared_task(name="reminders.sweep", ignore_result=True)
def reminders_sweep() -> None:
    """Safe to run twice or at once: notification keys are unique and due deadlines are locked (SKIP LOCKED)."""
    sweep()


@shared_task(name="reminders.deliver", ignore_result=True)
def notifications_deliver() -> None:
    """Retries are the outbox's own (next_attempt_at with backoff), not Celery's: a lost task loses nothing."""
    deliver()


@shared_task(name="reminders.digests", ignore_result=True)
def digests_start() -> None:
    start_digests()


def notifications_deliver_soon() -> None:
    """Enqueue a delivery now: the outbox's nudge (``RemindersConfig.ready()`` registers it), run on commit.

    Its own connection, tried once: the pooled producer would retry for seconds first (kombu's and
    redis-py's back-off), and a web request must not wait for that.
    """
    app = notifications_deliver.app
    try:
        if app.conf.task_always_eager:
            notifications_deliver.apply_async()
            return
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)
            notifications_deliver.apply_async(connection=connection, retry=False)
    except Exception as exc:  # kombu raises several kinds; all mean "beat's next delivery run will do it".
        logger.warning("Could not nudge notification delivery (%s); the periodic delivery will send it.", exc)
