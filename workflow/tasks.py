"""Celery tasks of the engine: thin wrappers around services. Their schedule is in operations/schedule.py."""

from celery import shared_task

from workflow.clocks import clocks_sweep


@shared_task(name="workflow.clocks", ignore_result=True)
def workflow_clocks() -> None:
    """Safe to run twice or at once: each case is locked with SKIP LOCKED and re-checked (workflow/clocks.py)."""
    clocks_sweep()
