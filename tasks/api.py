"""Task endpoints: /api/v1/tasks/…, /api/v1/cases/{id}/tasks/, /api/v1/organizations/{id}/tasks/…"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Organization, User
from accounts.selectors import organization_list_for_user
from config.errors import NotFound
from config.params import params_apply
from tasks import selectors
from tasks.filters import TASK_DEFAULTS, TASK_PARAMS, TaskFilter
from tasks.models import Task
from tasks.serializers import (
    TASK_ROWS,
    ReassignedSerializer,
    ReassignSerializer,
    TaskCommentSerializer,
    TaskCreateSerializer,
    TaskSerializer,
    TaskStatusSerializer,
    TaskWriteSerializer,
    task_rows,
)
from tasks.services import task as services
from workflow.access import EDIT, REVIEW, VIEW
from workflow.matrix import ORGANIZATION_ADMIN, ORGANIZATION_MEMBER
from workflow.models import Case
from workflow.selectors import case_get
from workflow.serializers import EventSerializer
from workflow.viewsets import CaseScopedViewSet, object_id


class TaskListMixin(mixins.ListModelMixin):
    """Lists of tasks: one query for the page's rows, one for their watchers, no models. The query string is read by
    ``TASK_PARAMS`` (``config.params``); ``filterset_class`` stays the documented schema and the pages' form."""

    def list(self, request, *args, **kwargs):
        rows = params_apply(self.get_queryset(), request, TASK_PARAMS, defaults=TASK_DEFAULTS)
        page = self.paginate_queryset(TASK_ROWS.values(rows))
        return self.get_paginated_response(task_rows(page))


class TaskViewSet(TaskListMixin, mixins.RetrieveModelMixin, CaseScopedViewSet):
    """Tasks of every case you may see. ``?mine=true``: yours and your organizations' unassigned ones.

    Unfinished tasks are listed unless ``status`` says otherwise (``all``, ``done``…); overdue first.
    """

    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    queryset = Task.objects.all()
    not_found = "Task not found."
    action_rights = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": (EDIT, REVIEW),
        "partial_update": (EDIT, REVIEW),
        "set_status": (EDIT, REVIEW),
        "comments": {"get": VIEW, "post": (EDIT, REVIEW)},
        "history": VIEW,
        "watch": VIEW,  # A write: so never a peer reviewer's (workflow.matrix.write_rights).
    }

    def rows(self):
        return selectors.task_order(selectors.task_with_relations(Task.objects.all()))

    def filter_queryset(self, queryset):
        # List filters (unfinished by default) are for lists: a finished task is still found by its id.
        return queryset if self.detail else super().filter_queryset(queryset)

    def _answer(self, task: Task, status_code: int = status.HTTP_200_OK) -> Response:
        # After a write, its service has checked that the actor may see the case: no need to ask again.
        return Response(TaskSerializer(self.rows().get(pk=task.pk)).data, status=status_code)

    @extend_schema(request=TaskCreateSerializer, responses={201: TaskSerializer})
    def create(self, request):
        data = TaskCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            case = case_get(user=request.user, case_id=data.validated_data["case"])
        except Case.DoesNotExist:
            raise NotFound("Case not found.") from None
        fields = data.service_fields(case)
        fields.pop("case")
        task = services.task_create(case=case, actor=request.user, **fields)
        return self._answer(task, status.HTTP_201_CREATED)

    @extend_schema(request=TaskWriteSerializer(partial=True), responses=TaskSerializer)
    def partial_update(self, request, pk=None):
        task = self.write_target()
        data = TaskWriteSerializer(data=request.data, partial=True)
        with self.input_of(task):
            data.is_valid(raise_exception=True)
            fields = data.service_fields(task.case)
        return self._answer(services.task_update(task=task, actor=request.user, **fields))

    @extend_schema(request=TaskStatusSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        task = self.write_target()
        data = self.write_input(TaskStatusSerializer, task)
        return self._answer(services.task_set_status(task=task, actor=request.user, **data))

    @extend_schema(methods=["GET"], responses=TaskCommentSerializer(many=True))
    @extend_schema(methods=["POST"], request=TaskCommentSerializer, responses={201: TaskCommentSerializer})
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        """Comments you may read (all participants', your organization's, "with BJA" ones). POST adds one."""
        if request.method == "GET":
            task = self.get_object()
            page = self.paginate_queryset(selectors.comment_list_for_user(user=request.user, task=task))
            return self.get_paginated_response(TaskCommentSerializer(page, many=True).data)
        task = self.write_target()
        data = self.write_input(TaskCommentSerializer, task)
        comment = services.task_comment_add(task=task, actor=request.user, **data)
        return Response(TaskCommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True)
    def history(self, request, pk=None):
        task = self.get_object()
        page = self.paginate_queryset(selectors.task_history(task=task))
        return self.get_paginated_response(EventSerializer(page, many=True).data)

    @extend_schema(request=None, responses={200: TaskSerializer})  # DELETE answers the task too, not 204.
    @action(detail=True, methods=["post", "delete"])
    def watch(self, request, pk=None):
        """POST: follow the task (its reminders and comments). DELETE: stop."""
        task = self.write_target()
        return self._answer(services.task_watch(task=task, actor=request.user, watching=request.method == "POST"))


class CaseTaskViewSet(TaskListMixin, CaseScopedViewSet):
    """The tasks of one case (GET) and a new one on it (POST)."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    queryset = Task.objects.all()
    not_found = "Case not found."
    action_rights = {"list": VIEW, "create": (EDIT, REVIEW)}

    def right_case_id(self) -> int:
        case_id = object_id(self.kwargs["case_pk"], Case)
        if case_id is None:
            raise NotFound(self.not_found)
        return case_id

    def case(self):
        if not hasattr(self, "_case"):
            try:
                self._case = case_get(user=self.request.user, case_id=self.kwargs["case_pk"])
            except Case.DoesNotExist:
                raise NotFound("Case not found.") from None
        return self._case

    def rows(self):
        return selectors.task_order(selectors.task_with_relations(Task.objects.filter(case=self.case())))

    @extend_schema(request=TaskWriteSerializer, responses={201: TaskSerializer})
    def create(self, request, case_pk=None):
        case = self.case()
        data = TaskWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = services.task_create(case=case, actor=request.user, **data.service_fields(case))
        return Response(TaskSerializer(self.rows().get(pk=task.pk)).data, status=status.HTTP_201_CREATED)


class OrganizationTaskViewSet(TaskListMixin, CaseScopedViewSet):
    """An organization's tasks (on cases you may see); its admins hand a member's tasks over in bulk."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    queryset = Task.objects.all()
    action_rights = {"list": ORGANIZATION_MEMBER, "reassign": ORGANIZATION_ADMIN}

    def organization(self) -> Organization:
        return get_object_or_404(organization_list_for_user(user=self.request.user), pk=self.kwargs["organization_pk"])

    def rows(self):
        tasks = Task.objects.filter(assignee_organization=self.organization())
        return selectors.task_order(selectors.task_with_relations(tasks))

    @extend_schema(request=ReassignSerializer, responses=ReassignedSerializer)
    @action(detail=False, methods=["post"])
    def reassign(self, request, organization_pk=None):
        """Give every open task `from_user` holds for this organization to `to_user`, or to the organization."""
        organization = self.organization()
        selectors.organization_admin_check(user=request.user, organization=organization)
        data = ReassignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        from_user = get_object_or_404(User, pk=data.validated_data["from_user"])
        to_user = None
        if data.validated_data.get("to_user"):
            to_user = get_object_or_404(User, pk=data.validated_data["to_user"], is_active=True)
        count = services.task_bulk_reassign(
            actor=request.user, organization=organization, from_user=from_user, to_user=to_user
        )
        return Response({"reassigned": count})
