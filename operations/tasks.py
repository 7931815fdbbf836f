"""The worker heartbeat, a thin Celery task. Its schedule is in operations/schedule.py."""

from celery import shared_task

from operations.services import heartbeat_record


@shared_task(name="operations.heartbeat", ignore_result=True)
def heartbeat() -> None:
    heartbeat_record(name="worker")
