"""The deadline source of task due dates, registered from ``TasksConfig.ready()`` (docs/reminders.md)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.urls import reverse

from accounts.models import Role
from reminders.registry import DeadlineSource, Recipients, organization_members, registry
from tasks.models import OPEN_STATUSES, Task
from workflow.access import user_organization_ids


def _by_object(deadlines: list) -> dict[int, int]:
    return {deadline.object_id: deadline.id for deadline in deadlines}


def task_recipients(deadlines: list) -> Recipients:
    """The assignee (or, for a task of a whole organization, its working members) and the watchers."""
    deadline_of = _by_object(deadlines)
    tasks = list(Task.objects.filter(id__in=deadline_of).values("id", "assignee_id", "assignee_organization_id"))
    members = organization_members({task["assignee_organization_id"] for task in tasks if not task["assignee_id"]})
    recipients: Recipients = defaultdict(set)
    for task in tasks:
        people = {task["assignee_id"]} if task["assignee_id"] else members.get(task["assignee_organization_id"], set())
        recipients[deadline_of[task["id"]]] |= people
    for task_id, user_id in Task.watchers.through.objects.filter(task_id__in=deadline_of).values_list(
        "task_id", "user_id"
    ):
        recipients[deadline_of[task_id]].add(user_id)
    return recipients


def task_escalation(deadlines: list) -> Recipients:
    """Admins of the organization responsible for the task."""
    deadline_of = _by_object(deadlines)
    tasks = list(Task.objects.filter(id__in=deadline_of).values_list("id", "assignee_organization_id"))
    admins = organization_members({organization for _, organization in tasks}, roles=(Role.ADMIN,))
    return {deadline_of[task]: set(admins.get(organization, ())) for task, organization in tasks}


def task_feed_filter(user) -> Q:
    """A calendar shows the user's own tasks: theirs, their organizations' unassigned ones, and watched ones."""
    mine = Task.objects.filter(
        Q(assignee=user)
        | Q(assignee__isnull=True, assignee_organization__in=user_organization_ids(user))
        | Q(watchers=user)
    ).values("id")
    return Q(object_id__in=mine)


def open_tasks_with_due_date():
    return Task.objects.filter(status__in=OPEN_STATUSES, due_date__isnull=False)


def task_url(deadline) -> str:
    return reverse("task-detail", args=[deadline.object_id])


TASK_SOURCE = DeadlineSource(
    key="task",
    label="Task",
    queryset=open_tasks_with_due_date,
    due_time="due_time",
    recipients=task_recipients,
    escalation=task_escalation,
    url=task_url,
    feed_filter=task_feed_filter,
    # tasks.services call deadline_sync in the transaction of every change: the sweep never scans tasks.
    discover=False,
)


def register_deadline_sources() -> None:
    registry.register(TASK_SOURCE)
