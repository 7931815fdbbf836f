"""Task endpoints: /api/v1/tasks/…, /api/v1/cases/{id}/tasks/, /api/v1/organizations/{id}/tasks/…"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Organization, User
from accounts.selectors import organization_list_for_user
from config.errors import NotFound
from config.rows import Rows, grouped, moment, person
from tasks import selectors
from tasks.filters import TaskFilter
from tasks.models import Task, TaskComment, TaskPriority, TaskStatus
from tasks.services import task as services
from workflow.api import EventSerializer
from workflow.models import Case, Milestone
from workflow.selectors import case_get


class TaskSerializer(serializers.ModelSerializer):
    case_title = serializers.CharField(source="case.title", read_only=True)
    assignee_name = serializers.SerializerMethodField()
    assignee_organization_name = serializers.CharField(source="assignee_organization.name", read_only=True)
    watchers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id", "case", "case_title", "title", "description", "assignee", "assignee_name",
            "assignee_organization", "assignee_organization_name", "created_by", "due_date", "due_time",
            "priority", "status", "blocked_reason", "completed_at", "completed_by", "milestone", "origin_kind",
            "origin_id", "origin_label", "watchers", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_assignee_name(self, task: Task) -> str | None:
        return str(task.assignee) if task.assignee_id else None


class TaskWriteSerializer(serializers.Serializer):
    """Fields of a new task (all but `case` and `title` optional) or of an edit (all optional)."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    assignee = serializers.IntegerField(required=False, allow_null=True, help_text="A user id.")
    assignee_organization = serializers.IntegerField(required=False, allow_null=True, help_text="An organization id.")
    due_date = serializers.DateField(required=False, allow_null=True, help_text="In the case organization's zone.")
    due_time = serializers.TimeField(required=False, allow_null=True)
    priority = serializers.ChoiceField(choices=TaskPriority.choices, required=False)
    milestone = serializers.IntegerField(required=False, allow_null=True)

    def service_fields(self, case) -> dict:
        data = dict(self.validated_data)
        if "assignee" in data:
            wanted = data["assignee"]
            data["assignee"] = User.objects.filter(pk=wanted, is_active=True).first() if wanted else None
            if wanted and data["assignee"] is None:
                raise serializers.ValidationError({"assignee": ["That person does not work on this case."]})
        if data.get("assignee_organization"):
            data["assignee_organization"] = Organization.objects.filter(pk=data["assignee_organization"]).first()
            if data["assignee_organization"] is None:
                raise serializers.ValidationError({"assignee_organization": ["No such participating organization."]})
        if data.get("milestone"):
            data["milestone"] = Milestone.objects.filter(case=case, pk=data["milestone"]).first()
            if data["milestone"] is None:
                raise serializers.ValidationError({"milestone": ["No such milestone on this case."]})
        return data


class TaskCreateSerializer(TaskWriteSerializer):
    case = serializers.IntegerField()


class TaskStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class TaskCommentSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.__str__", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = TaskComment
        fields = [
            "id",
            "author",
            "author_name",
            "organization",
            "organization_name",
            "body",
            "visibility",
            "created_at",
        ]
        read_only_fields = ["id", "author", "author_name", "organization", "organization_name", "created_at"]


class ReassignedSerializer(serializers.Serializer):
    reassigned = serializers.IntegerField(help_text="How many open tasks changed hands.")


class ReassignSerializer(serializers.Serializer):
    from_user = serializers.IntegerField()
    to_user = serializers.IntegerField(
        required=False, allow_null=True, help_text="Leave out to give to the organization."
    )


# TaskSerializer's fields, read with values() for lists (config/rows.py); `watchers` is added by task_rows().
TASK_ROWS = Rows(
    id="id", case="case_id", case_title="case__title", title="title", description="description",
    assignee="assignee_id", assignee_name=person("assignee"), assignee_organization="assignee_organization_id",
    assignee_organization_name="assignee_organization__name", created_by="created_by_id", due_date="due_date",
    due_time="due_time", priority="priority", status="status", blocked_reason="blocked_reason",
    completed_at=moment("completed_at"), completed_by="completed_by_id", milestone="milestone_id",
    origin_kind="origin_kind", origin_id="origin_id", origin_label="origin_label", created_at=moment("created_at"),
    updated_at=moment("updated_at"),
)  # fmt: skip


def task_rows(page: list[dict]) -> list[dict]:
    """A page of TASK_ROWS values as TaskSerializer would write it, with the watchers in one more query."""
    rows = TASK_ROWS.render(page)
    watchers = grouped(
        Task.watchers.through.objects.filter(task_id__in=[row["id"] for row in rows])
        .order_by("user__full_name", "user__email")
        .values_list("task_id", "user_id")
    )
    for row in rows:
        row["watchers"] = watchers.get(row["id"], [])
    return rows


class TaskListMixin(mixins.ListModelMixin):
    """Lists of tasks: one query for the page's rows, one for their watchers, no models."""

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(TASK_ROWS.values(self.filter_queryset(self.get_queryset())))
        return self.get_paginated_response(task_rows(page))


class TaskViewSet(TaskListMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Tasks of every case you may see. ``?mine=true``: yours and your organizations' unassigned ones.

    Unfinished tasks are listed unless ``status`` says otherwise (``all``, ``done``…); overdue first.
    """

    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    queryset = Task.objects.none()  # For the schema; get_queryset() scopes to the user.

    def get_queryset(self):
        return selectors.task_order(selectors.task_list_for_user(user=self.request.user))

    def filter_queryset(self, queryset):
        # List filters (unfinished by default) are for lists: a finished task is still found by its id.
        return queryset if self.detail else super().filter_queryset(queryset)

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
        return Response(TaskSerializer(self.get_queryset().get(pk=task.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TaskWriteSerializer(partial=True), responses=TaskSerializer)
    def partial_update(self, request, pk=None):
        task = self.get_object()
        data = TaskWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.task_update(task=task, actor=request.user, **data.service_fields(task.case))
        return Response(TaskSerializer(self.get_queryset().get(pk=task.pk)).data)

    @extend_schema(request=TaskStatusSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        task = self.get_object()
        data = TaskStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.task_set_status(task=task, actor=request.user, **data.validated_data)
        return Response(TaskSerializer(self.get_queryset().get(pk=task.pk)).data)

    @extend_schema(methods=["GET"], responses=TaskCommentSerializer(many=True))
    @extend_schema(methods=["POST"], request=TaskCommentSerializer, responses={201: TaskCommentSerializer})
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        """Comments you may read (all participants', your organization's, "with BJA" ones). POST adds one."""
        task = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(selectors.comment_list_for_user(user=request.user, task=task))
            return self.get_paginated_response(TaskCommentSerializer(page, many=True).data)
        data = TaskCommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.task_comment_add(task=task, actor=request.user, **data.validated_data)
        return Response(TaskCommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True)
    def history(self, request, pk=None):
        task = self.get_object()
        page = self.paginate_queryset(selectors.task_history(task=task))
        return self.get_paginated_response(EventSerializer(page, many=True).data)

    @extend_schema(request=None, responses=TaskSerializer)
    @action(detail=True, methods=["post", "delete"])
    def watch(self, request, pk=None):
        """POST: follow the task (its reminders and comments). DELETE: stop."""
        task = services.task_watch(task=self.get_object(), actor=request.user, watching=request.method == "POST")
        return Response(TaskSerializer(self.get_queryset().get(pk=task.pk)).data)


class CaseTaskViewSet(TaskListMixin, viewsets.GenericViewSet):
    """The tasks of one case (GET) and a new one on it (POST)."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    queryset = Task.objects.none()

    def case(self):
        if not hasattr(self, "_case"):
            try:
                self._case = case_get(user=self.request.user, case_id=self.kwargs["case_pk"])
            except Case.DoesNotExist:
                raise NotFound("Case not found.") from None
        return self._case

    def get_queryset(self):
        return selectors.task_order(selectors.task_list_for_case(user=self.request.user, case=self.case()))

    @extend_schema(request=TaskWriteSerializer, responses={201: TaskSerializer})
    def create(self, request, case_pk=None):
        case = self.case()
        data = TaskWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = services.task_create(case=case, actor=request.user, **data.service_fields(case))
        return Response(TaskSerializer(self.get_queryset().get(pk=task.pk)).data, status=status.HTTP_201_CREATED)


class OrganizationTaskViewSet(TaskListMixin, viewsets.GenericViewSet):
    """An organization's tasks (on cases you may see); its admins hand a member's tasks over in bulk."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    queryset = Task.objects.none()

    def organization(self) -> Organization:
        return get_object_or_404(organization_list_for_user(user=self.request.user), pk=self.kwargs["organization_pk"])

    def get_queryset(self):
        return selectors.task_order(
            selectors.task_list_for_organization(user=self.request.user, organization=self.organization())
        )

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
