"""The dashboard's "My tasks" section (settings.DASHBOARD_SECTIONS)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from reminders.selectors import notification_unread_count
from tasks import selectors
from tasks.models import OPEN_STATUSES

SHOWN = 8


def my_tasks_section(request) -> dict | None:
    """The user's unfinished tasks, overdue first, with counts; three queries."""
    user = request.user
    if not user.is_authenticated:
        return None
    mine = selectors.task_list_mine(user=user).filter(status__in=OPEN_STATUSES)
    counts = mine.aggregate(total=Count("id"), overdue=Count("id", filter=Q(due_date__lt=timezone.localdate())))
    return {
        "template": "tasks/sections/dashboard.html",
        "context": {
            "tasks": list(selectors.task_order(mine)[:SHOWN]),
            "total": counts["total"],
            "overdue": counts["overdue"],
            "unread": notification_unread_count(user=user),
        },
    }
