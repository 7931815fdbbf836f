"""Shared tasks on a case, and their comments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organization
from workflow.models import Case, Milestone, Visibility


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    BLOCKED = "blocked", "Blocked"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATUSES = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED)
CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.CANCELLED)


class TaskPriority(models.IntegerChoices):
    LOW = 1, "Low"
    NORMAL = 2, "Normal"
    HIGH = 3, "High"
    URGENT = 4, "Urgent"


class Task(models.Model):
    """A piece of work on a case, for one person or for a whole participating organization.

    ``assignee_organization`` is always set: it is the organization responsible
    (the one a user assignee acts for), whose admins hear of it when it is late.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_tasks"
    )
    assignee_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="tasks")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(null=True, blank=True, help_text="In the time zone of the case's organization.")
    due_time = models.TimeField(null=True, blank=True, help_text="Optional time of day on the due date.")
    priority = models.PositiveSmallIntegerField(choices=TaskPriority.choices, default=TaskPriority.NORMAL)
    status = models.CharField(max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    blocked_reason = models.CharField(max_length=500, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    watchers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="watched_tasks")
    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    # Where it came from in another app (an assessment item answered "no"), without a foreign key into that app.
    origin_kind = models.CharField(max_length=60, blank=True)
    origin_id = models.PositiveBigIntegerField(null=True, blank=True)
    origin_label = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "-priority", "id"]
        indexes = [
            models.Index(fields=["case", "status", "due_date"], name="task_case_status_due_idx"),
            models.Index(fields=["assignee", "status", "due_date"], name="task_assignee_status_due_idx"),
            models.Index(fields=["assignee_organization", "status", "due_date"], name="task_org_status_due_idx"),
            models.Index(fields=["origin_kind", "origin_id"], name="task_origin_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="blocked") | ~Q(blocked_reason=""),
                name="task_blocked_has_reason",
                violation_error_message="Say why the task is blocked.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["done", "cancelled"], completed_at__isnull=False)
                | Q(status__in=["open", "in_progress", "blocked"], completed_at__isnull=True),
                name="task_completed_at_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(due_time__isnull=True) | Q(due_date__isnull=False),
                name="task_due_time_needs_date",
                violation_error_message="A due time needs a due date.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def assignee_label(self) -> str:
        return str(self.assignee) if self.assignee_id else f"{self.assignee_organization} (anyone)"


class TaskComment(models.Model):
    """A comment on a task, seen by all participants, by the author's organization, or by it and BJA."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.ALL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["task", "created_at"], name="task_comment_task_idx")]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.task}"
