"""Writes of the tasks app, one module per topic. The heartbeat's writer is re-exported for its callers."""

from tasks.services.heartbeat import heartbeat_record

__all__ = ["heartbeat_record"]
