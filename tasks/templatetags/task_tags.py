"""Template helpers of the task pages."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html

from config.times import moment_text, zone_abbreviation
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
    return format_html('<time datetime="{}">{}</time>', timezone.localtime(moment).isoformat(), moment_text(moment))


def _day_text(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def _history_value(name: str, value, task, changes: dict) -> str:
    """A value as the history stored it (ISO dates and times) written for a person.

    A due time is wall-clock time in the case organization's zone: shown in the reader's zone, named.
    """
    if not value:
        return "none"
    try:
        if name == "due_date":
            return _day_text(date.fromisoformat(value))
        if name == "due_time" and task is not None:
            days = [day for day in (changes.get("due_date") or []) if day]
            day = date.fromisoformat(days[-1]) if days else (task.due_date or timezone.localdate())
            zone = ZoneInfo(task.case.organization.time_zone)
            local = timezone.localtime(datetime.combine(day, time.fromisoformat(value), tzinfo=zone))
            return f"{dateformat.format(local, 'g:i A')} {zone_abbreviation(local)}"
    except (TypeError, ValueError):
        pass
    return str(value)


@register.simple_tag
def task_event_sentence(event, task=None) -> str:
    """One line of a task's history in words (`task` names the zone of a due time)."""
    actor = str(event.actor) if event.actor_id else "The system"
    data = event.data or {}
    verb = event.verb
    if verb == "task.created":
        due = f", due {_history_value('due_date', data['due_date'], task, {})}" if data.get("due_date") else ""
        return f"{actor} created the task for {data.get('assignee', 'someone')}{due}."
    if verb == "task.status":
        before, after = _STATUS.get(data.get("from"), data.get("from")), _STATUS.get(data.get("to"), data.get("to"))
        reason = f" — {data['reason']}" if data.get("reason") else ""
        return f"{actor} changed the status from {before} to {after}{reason}."
    if verb in ("task.updated", "task.rescheduled"):
        parts = []
        changes = data.get("changes") or {}
        for field, (old, new) in changes.items():
            before, after = (_history_value(field, value, task, changes) for value in (old, new))
            parts.append(f"{field.replace('_', ' ')} from {before} to {after}")
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
