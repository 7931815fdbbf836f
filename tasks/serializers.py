"""What the task endpoints read and write: serializers, and the rows of the task lists (config/rows.py).

Other apps show tasks too (a partnership's); they import this module, never a view.
"""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Organization, User
from config.phi import GuardedSerializerMixin
from config.rows import Rows, grouped, moment, person
from tasks.models import Task, TaskComment, TaskPriority, TaskStatus
from workflow.models import Milestone


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


class TaskWriteSerializer(GuardedSerializerMixin, serializers.Serializer):
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


class TaskStatusSerializer(GuardedSerializerMixin, serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class TaskCommentSerializer(GuardedSerializerMixin, serializers.ModelSerializer):
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
