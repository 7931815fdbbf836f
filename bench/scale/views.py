"""The throughput limit the API is compared with: one raw SQL query and ``json.dumps``, no framework on top.

``bare_tasks`` is the limit. ``FrameworkFloor`` sends the same rows through what every API endpoint pays
before doing any work of its own (DRF's dispatch, token authentication, its JSON renderer): the gap between
the two is the framework's, the rest is ours.

Mounted only when ``BENCH=1`` (``settings.BENCH_ENABLED``): ``bare_tasks`` answers without authentication or
access checks, so it must never be routable in production (tests/bench/test_bare_view.py checks that).
"""

from __future__ import annotations

import json

from django.db import connection
from django.http import HttpResponse
from rest_framework.response import Response
from rest_framework.views import APIView

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


def _my_tasks(user: int, limit: int) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(MY_TASKS, {"user": user, "limit": min(limit, 100)})
        return [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def bare_tasks(request):
    rows = _my_tasks(int(request.GET.get("user", 0)), int(request.GET.get("limit", 50)))
    return HttpResponse(json.dumps({"results": rows}), content_type="application/json")


class FrameworkFloor(APIView):
    """The same query for the signed-in user, through DRF with the project's token authentication."""

    def get(self, request):
        return Response({"results": _my_tasks(request.user.pk, int(request.GET.get("limit", 50)))})
