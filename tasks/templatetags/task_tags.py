"""Template helpers of the task pages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.html import format_html

from tasks.models import TaskStatus

register = template.Library()
_STATUS = dict(TaskStatus.choices)


@register.simple_tag
def task_due(task) -> str:
    """The due date; with a time, that moment in the reader's zone (the active one) with its abbreviation."""
    if task.due_date is None:
        return ""
    day = f"{task.due_date:%b} {task.due_date.day}, {task.due_date.year}"
    if task.due_time is None:
        return format_html('<time datetime="{}">{}</time>', task.due_date.isoformat(), day)
    moment = datetime.combine(task.due_date, task.due_time, tzinfo=ZoneInfo(task.case.organization.time_zone))
    local = timezone.localtime(moment)
    hour = local.strftime("%I:%M %p").lstrip("0")
    return format_html(
        '<time datetime="{}">{}, {}</time>',
        local.isoformat(),
        f"{local:%b} {local.day}, {local.year}",
        f"{hour} {local.tzname()}",
    )


@register.simple_tag
def task_event_sentence(event) -> str:
    """One line of a task's history in words."""
    actor = str(event.actor) if event.actor_id else "The system"
    data = event.data or {}
    verb = event.verb
    if verb == "task.created":
        due = f", due {data['due_date']}" if data.get("due_date") else ""
        return f"{actor} created the task for {data.get('assignee', 'someone')}{due}."
    if verb == "task.status":
        before, after = _STATUS.get(data.get("from"), data.get("from")), _STATUS.get(data.get("to"), data.get("to"))
        reason = f" — {data['reason']}" if data.get("reason") else ""
        return f"{actor} changed the status from {before} to {after}{reason}."
    if verb in ("task.updated", "task.rescheduled"):
        parts = []
        for field, (old, new) in (data.get("changes") or {}).items():
            name = field.replace("_", " ")
            parts.append(f"{name} from {old or 'none'} to {new or 'none'}")
        return f"{actor} changed " + "; ".join(parts) + "." if parts else f"{actor} edited the task."
    if verb == "task.commented":
        return f"{actor} commented."
    return f"{actor}: {verb.replace('.', ' ').replace('_', ' ')}."


# Reuse the case pages' status badges (static/css/app.css): the word says it, the colour repeats it.
_STATUS_CLASS = {
    TaskStatus.IN_PROGRESS: "app-status--submitted",
    TaskStatus.BLOCKED: "app-status--changes_requested",
    TaskStatus.DONE: "app-status--approved",
}


@register.filter
def task_status_class(status: str) -> str:
    return _STATUS_CLASS.get(status, "")
