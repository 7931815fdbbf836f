"""The throughput limit the API is compared with: one raw SQL query and ``json.dumps``, no framework on top.

Mounted only when ``BENCH=1`` (``settings.BENCH_ENABLED``): it answers without authentication or access
checks, so it must never be routable in production (tests/bench/test_bare_view.py checks that).
"""

from __future__ import annotations

import json

from django.db import connection
from django.http import HttpResponse

# The rows "my tasks" lists (GET /api/v1/tasks/?mine=true): unfinished, the user's or their organizations'
# unassigned ones, overdue first.
MY_TASKS = """
    SELECT t.id, t.case_id, c.title, t.title, t.assignee_id, t.assignee_organization_id, o.name,
           t.due_date::text, t.priority, t.status
    FROM (
        (SELECT * FROM tasks_task WHERE assignee_id = %(user)s AND status IN ('open', 'in_progress', 'blocked')
         ORDER BY due_date NULLS LAST, priority DESC, id LIMIT %(limit)s)
        UNION ALL
        (SELECT * FROM tasks_task WHERE assignee_id IS NULL AND status IN ('open', 'in_progress', 'blocked')
           AND assignee_organization_id IN (
               SELECT organization_id FROM accounts_membership WHERE user_id = %(user)s AND is_active)
         ORDER BY due_date NULLS LAST, priority DESC, id LIMIT %(limit)s)
    ) t
    JOIN workflow_case c ON c.id = t.case_id
    JOIN accounts_organization o ON o.id = t.assignee_organization_id
    ORDER BY t.due_date NULLS LAST, t.priority DESC, t.id
    LIMIT %(limit)s
"""
COLUMNS = ["id", "case", "case_title", "title", "assignee", "assignee_organization", "assignee_organization_name",
           "due_date", "priority", "status"]  # fmt: skip


def bare_tasks(request):
    user, limit = int(request.GET.get("user", 0)), min(int(request.GET.get("limit", 50)), 100)
    with connection.cursor() as cursor:
        cursor.execute(MY_TASKS, {"user": user, "limit": limit})
        rows = [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]
    return HttpResponse(json.dumps({"results": rows}), content_type="application/json")
