"""Reminders: the registry of deadline sources and the window arithmetic.

Other apps import ``DeadlineSource`` and ``registry`` from here (docs/reminders.md).
"""

from tasks.reminders.registry import (
    DeadlineSource,
    lead_admins,
    lead_members,
    organization_members,
    registry,
)

__all__ = ["DeadlineSource", "lead_admins", "lead_members", "organization_members", "registry"]
