"""Notifications about what happens to a task: it was assigned to you, someone commented.

Kind ``task_activity``: people choose email, digest or in-app for it like for
reminders. A comment is only announced to those allowed to read it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from reminders.preferences import ACTIVITY_KIND
from reminders.registry import organization_members
from reminders.services.outbox import notification_build, outbox_add, recipients_load
from tasks.models import Task, TaskComment
from workflow.access import visible_pairs


def activity_notify(*, task: Task, user_ids: Iterable[int], actor: User | None, window: str, subject: str) -> None:
    """Tell these people (not the actor) about `task`, if they may see its case."""
    now = timezone.now()
    ids = {user_id for user_id in user_ids if user_id and (actor is None or user_id != actor.pk)}
    users, preferences = recipients_load(ids)
    visible = visible_pairs((user, task.case_id) for user in users.values())
    outbox_add(
        [
            notification_build(
                user=user,
                preference=preferences.get(user.id),
                kind=ACTIVITY_KIND,
                target=f"task:{task.pk}",
                window=window,
                subject=subject,
                body=f"On “{task.case.title}”.",
                url=reverse("task-detail", args=[task.pk]),
                case_id=task.case_id,
                now=now,
            )
            for user in users.values()
            if (user.pk, task.case_id) in visible
        ]
    )


def assignment_notify(*, task: Task, actor: User | None, event_id: int) -> None:
    if task.assignee_id:
        who = [task.assignee_id]
    else:
        who = organization_members([task.assignee_organization_id]).get(task.assignee_organization_id, set())
    by = f" by {actor}" if actor else ""
    activity_notify(
        task=task,
        user_ids=who,
        actor=actor,
        window=f"assigned-{event_id}",
        subject=f"Task “{task.title}” was assigned to {task.assignee_label}{by}",
    )


def comment_notify(*, comment: TaskComment, readers: set[int] | None) -> None:
    """`readers`: ids the comment's visibility lets read it, None for everyone who sees the case."""
    task = comment.task
    interested = {task.assignee_id, task.created_by_id, *task.watchers.values_list("id", flat=True)}
    activity_notify(
        task=task,
        user_ids=interested if readers is None else interested & readers,
        actor=comment.author,
        window=f"comment-{comment.pk}",
        subject=f"{comment.author} commented on task “{task.title}”",
    )
