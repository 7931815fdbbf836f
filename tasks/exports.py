"""Task lists as CSV and Excel files: the rows of the list page, with its filters, every page of them."""

from __future__ import annotations

from collections.abc import Iterable

from config.exports import Table
from tasks.models import Task

HEADERS = ["Task", "Case", "Assigned to", "Organization", "Due", "Status", "Priority", "Link"]


def task_table(tasks: Iterable[Task], *, title: str, base_url: str) -> Table:
    rows = [
        [
            task.title,
            task.case.title,
            str(task.assignee) if task.assignee_id else "Anyone",
            task.assignee_organization.name,
            task.due_date,
            task.get_status_display(),
            task.get_priority_display(),
            f"{base_url}/tasks/{task.pk}/",
        ]
        for task in tasks
    ]
    return Table(title=title, headers=HEADERS, rows=rows)
