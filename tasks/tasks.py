"""Celery tasks: thin, idempotent wrappers around services. Their schedule is in operations/schedule.py."""

from celery import shared_task

from tasks.services.delivery import notifications_deliver as deliver
from tasks.services.digests import digests_start as start_digests
from tasks.services.sweep import reminders_sweep as sweep


@shared_task(name="tasks.reminders_sweep", ignore_result=True)
def reminders_sweep() -> None:
    """Safe to run twice or at once: notification keys are unique and due deadlines are locked (SKIP LOCKED)."""
    sweep()


@shared_task(name="tasks.notifications_deliver", ignore_result=True)
def notifications_deliver() -> None:
    """Retries are the outbox's own (next_attempt_at with backoff), not Celery's: a lost task loses nothing."""
    deliver()


@shared_task(name="tasks.digests_start", ignore_result=True)
def digests_start() -> None:
    start_digests()
