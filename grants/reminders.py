"""The deadline sources of awards, registered from ``GrantsConfig.ready()`` (docs/reminders.md).

Award acceptance and closeout are reminded through the reminders registry; the
reports need no source of their own, being milestones with due dates.
"""

from __future__ import annotations

from grants.models import Award
from reminders.registry import DeadlineSource, registry


def offered_awards():
    """Awards offered and not yet accepted or declined: their acceptance clock runs."""
    return Award.objects.filter(case__stage="offered")


def awards_before_closeout_ends():
    """Awards not yet closed: their final reports fall due at the end of the closeout window."""
    return Award.objects.filter(case__stage__in=("planning", "implementation", "closeout"))


AWARD_ACCEPTANCE_SOURCE = DeadlineSource(
    key="award_acceptance",
    label="Award acceptance",
    queryset=offered_awards,
    due_date="acceptance_due",
    title="case__title",
)

AWARD_CLOSEOUT_SOURCE = DeadlineSource(
    key="award_closeout",
    label="Award closeout (final reports)",
    queryset=awards_before_closeout_ends,
    due_date="closeout_due",
    title="case__title",
)


def register_deadline_sources() -> None:
    registry.register(AWARD_ACCEPTANCE_SOURCE)
    registry.register(AWARD_CLOSEOUT_SOURCE)
