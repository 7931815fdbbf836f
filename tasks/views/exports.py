"""CSV and Excel downloads of the task lists: "My tasks" and a case's tasks, with the list's filters."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.security_log import export_record
from config.exports import table_response
from tasks import selectors
from tasks.exports import task_table
from tasks.filters import TaskFilter
from workflow.models import Case
from workflow.selectors import case_get

EXTENSIONS = ("csv", "xlsx")


def _filtered(request: HttpRequest, queryset):
    filterset = TaskFilter(request.GET, queryset=queryset)
    return selectors.task_order(filterset.qs if filterset.is_valid() else queryset.none())


def _download(request: HttpRequest, tasks, *, title: str, name: str, extension: str, **details) -> HttpResponse:
    if extension not in EXTENSIONS:
        raise Http404("No such export.")
    export_record(actor=request.user, export=name, format=extension, **details)
    table = task_table(tasks, title=title, base_url=request.build_absolute_uri("/").rstrip("/"))
    return table_response(table, name=f"{name}-{timezone.localdate():%Y%m%d}", extension=extension)


@require_safe
@login_required
def task_list_export(request: HttpRequest, extension: str) -> HttpResponse:
    tasks = _filtered(request, selectors.task_list_mine(user=request.user))
    return _download(request, tasks, title="My tasks", name="my-tasks", extension=extension)


@require_safe
@login_required
def case_tasks_export(request: HttpRequest, case_id: int, extension: str) -> HttpResponse:
    try:
        case = case_get(user=request.user, case_id=case_id)
    except Case.DoesNotExist:
        raise Http404("Case not found.") from None
    tasks = _filtered(request, selectors.task_list_for_case(user=request.user, case=case))
    name = f"case-{case.pk}-tasks"
    return _download(request, tasks, title="Case tasks", name=name, extension=extension, case=case.pk)
