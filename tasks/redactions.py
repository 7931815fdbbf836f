"""The task texts site staff may redact (``workflow.redactions``): a task's title, description and blocked reason,
and a comment's body. Task events carry the title and every edit's before and after; a comment's body is in no
event (only its notifications, which the reminders app scrubs)."""

from __future__ import annotations

from tasks.models import Task, TaskComment
from workflow.redactions import Carried, Redactable, redactables


def register_redactables() -> None:
    for entry in (
        Redactable("task", "title", Task, "a task's title", carried=(Carried("task", ("title", "changes.title")),)),
        Redactable(
            "task", "description", Task, "a task's description", carried=(Carried("task", ("changes.description",)),)
        ),
        Redactable(
            "task",
            "blocked_reason",
            Task,
            "a task's blocked reason",
            carried=(Carried("task", ("reason",), verbs=("task.status",)),),
        ),
        Redactable("task_comment", "body", TaskComment, "a task comment", case_path="task__case"),
    ):
        redactables.register(entry)
