"""The dashboard's "My tasks" section (settings.DASHBOARD_SECTIONS)."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Sum, Value, When, Window
from django.utils import timezone

from reminders.selectors import request_unread_count
from tasks import selectors
from tasks.models import OPEN_STATUSES

SHOWN = 8
Integer = IntegerField()


def my_tasks_section(request) -> dict | None:
    """The user's unfinished tasks, overdue first, with counts: one query (the counts are window functions over every
    matching task, read with the first rows), and the unread count the page header shares."""
    user = request.user
    if not user.is_authenticated:
        return None
    mine = selectors.task_list_mine(user=user).filter(status__in=OPEN_STATUSES)
    overdue = Case(When(due_date__lt=timezone.localdate(), then=Value(1)), default=Value(0), output_field=Integer)
    tasks = list(
        selectors.task_order(mine).annotate(matching=Window(Count("id")), overdue_matching=Window(Sum(overdue)))[:SHOWN]
    )
    return {
        "template": "tasks/sections/dashboard.html",
        "context": {
            "tasks": tasks,
            "total": tasks[0].matching if tasks else 0,
            "overdue": tasks[0].overdue_matching if tasks else 0,
            "unread": request_unread_count(request),
        },
    }
