"""The tasks section of a case page (settings.CASE_PAGE_SECTIONS): the case's unfinished tasks and "Add a task".

The generic case page and the partnership page show it; `workflow` reads the setting and knows nothing of tasks.
"""

from __future__ import annotations

from django.db.models import Count

from tasks import selectors
from tasks.models import OPEN_STATUSES
from workflow.access import EDIT, REVIEW

SHOWN = 10


def case_tasks_section(*, request, case, rights: set[str]) -> dict:
    """Two queries: the count and the first rows."""
    open_tasks = selectors.task_list_for_case(user=request.user, case=case).filter(status__in=OPEN_STATUSES)
    total = open_tasks.aggregate(total=Count("id"))["total"]
    return {
        "template": "tasks/sections/case_tasks.html",
        "context": {
            "case": case,
            "tasks": list(selectors.task_order(open_tasks)[:SHOWN]),
            "total": total,
            "can_add": EDIT in rights or REVIEW in rights,
        },
    }
