"""The one write of operations: a periodic job says it ran (``/healthz`` reads the worker's row)."""

from __future__ import annotations

from django.utils import timezone

from operations.models import Heartbeat


def heartbeat_record(*, name: str = "worker") -> Heartbeat:
    heartbeat, _ = Heartbeat.objects.update_or_create(name=name, defaults={"last_seen": timezone.now()})
    return heartbeat
