from celery import shared_task

from tasks.services import heartbeat_record


@shared_task(name="tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    heartbeat_record(name="worker")
