"""Filters for the case pages: deadline countdowns, labels and timeline wording.

"Today" is the date in the active time zone; the case views activate the
viewing user's, so "due today" means today where the reader is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from workflow.documents import ALLOWED
from workflow.forms import DOCUMENT_KINDS
from workflow.machines import registry
from workflow.models import Case, Event, ParticipantRole
from workflow.redactions import MARKER, redactables, redaction_describe

register = template.Library()

_FILE_TYPES = {content_type: extension.upper() for extension, content_type in ALLOWED.items()}
_DOCUMENT_KINDS = dict(DOCUMENT_KINDS)
_GRANTS = {"view_case": "view", "change_case": "work on", "review_case": "review", "manage_case": "manage"}


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@register.filter
def days_left(due: date | None, today: date | None = None) -> int | None:
    """Days from today until `due`: negative when overdue, None without a due date."""
    if due is None:
        return None
    return (due - (today or timezone.localdate())).days


@register.filter
def countdown(due: date | None, today: date | None = None) -> str:
    """ "due in 5 days", "due today" or "3 days overdue"."""
    days = days_left(due, today)
    if days is None:
        return ""
    if days == 0:
        return "due today"
    return f"due in {_count(days, 'day')}" if days > 0 else f"{_count(-days, 'day')} overdue"


@register.filter
def countdown_state(due: date | None, today: date | None = None) -> str:
    """A CSS modifier for the countdown: overdue, today or upcoming (the words say it too)."""
    days = days_left(due, today)
    if days is None:
        return ""
    return "overdue" if days < 0 else "today" if days == 0 else "upcoming"


def _machine(kind: str):
    try:
        return registry.get(kind)
    except LookupError:
        return None


@register.filter
def kind_label(case: Case) -> str:
    machine = _machine(case.kind)
    return machine.label if machine else case.kind.replace("_", " ").capitalize()


def _stage(kind: str, stage: str) -> str:
    machine = _machine(kind)
    return machine.stage(stage).label if machine else stage.replace("_", " ").capitalize()


@register.filter
def stage_label(case: Case) -> str:
    return _stage(case.kind, case.stage)


@register.filter
def file_type(content_type: str) -> str:
    return _FILE_TYPES.get(content_type, content_type)


@register.filter
def document_kind(kind: str) -> str:
    return _DOCUMENT_KINDS.get(kind, kind.replace("_", " ").capitalize())


def _with_text(sentence: str, text: str) -> str:
    return f"{sentence} — {text}" if text else f"{sentence}."


@register.simple_tag
def event_sentence(event: Event, case: Case, visible_document_ids=()) -> str:
    """One line of the timeline in words: "Dana moved it from Draft to Submitted — comment".

    An upload's file name is shown only to those who may see the document: the
    event log is read by every participant, the document is not.
    """
    machine = case.machine
    if machine.describe_event and (sentence := machine.describe_event(event)):
        return sentence
    actor = str(event.actor) if event.actor_id else "System"
    data = event.data or {}
    title = data.get("title", "a milestone")
    verb = event.verb
    if verb == "case.opened":
        return f"{actor} opened the case."
    if verb == "transition":
        source, target = _stage(case.kind, data.get("from", "")), _stage(case.kind, data.get("to", ""))
        if data.get("by") == "system":
            return f"System moved it from {source} to {target}: {data.get('reason', 'its time had come')}."
        return _with_text(f"{actor} moved it from {source} to {target}", data.get("comment", ""))
    if data.get("by") == "system" and data.get("reason"):
        # A clock's flag (workflow/clocks.py): the reason is the whole sentence.
        return f"System: {data['reason']}."
    if verb == "participant.added":
        role = dict(ParticipantRole.choices).get(data.get("role"), data.get("role", ""))
        return f"{actor} added {data.get('organization', 'an organization')} as {role[:1].lower()}{role[1:]}."
    if verb in ("permission.granted", "permission.revoked"):
        right = _GRANTS.get(data.get("permission"), data.get("permission", ""))
        done = "gave" if verb == "permission.granted" else "took back from"
        return f"{actor} {done} {data.get('user', 'a user')} the right to {right} the case."
    if verb == "checklist.added":
        checklist = data.get("title") or data.get("template", "")
        return f"{actor} added the checklist “{checklist}” with {_count(data.get('items', 0), 'item')}."
    if verb == "milestone.submitted":
        return _with_text(f"{actor} submitted “{title}” for approval", data.get("note", ""))
    if verb == "milestone.approved":
        return _with_text(f"{actor} approved “{title}”", data.get("comment", ""))
    if verb == "milestone.changes_requested":
        return _with_text(f"{actor} asked for changes to “{title}”", data.get("comment", ""))
    if verb == "milestone.signed":
        return f"{actor} signed “{title}” for {data.get('organization', 'their organization')}."
    if verb == "document.uploaded":
        if data.get("document") in visible_document_ids:
            return f"{actor} uploaded “{data.get('name', 'a document')}”."
        return f"{actor} uploaded a document that is not shared with you."
    if verb == "document.withdrawn":
        # The withdrawn file is out of everyone's sight but staff's; the new version's name shows where it is shared.
        if data.get("replaced_by") in visible_document_ids:
            return _with_text(f"{actor} replaced a document with “{data.get('replaced_by_name')}”", data.get("reason"))
        return _with_text(f"{actor} withdrew a document", data.get("reason", ""))
    if verb.endswith(".redacted") and "field" in data:
        return redaction_describe(event)
    if verb == "document.redacted":
        return _with_text(f"{actor} redacted a document that carried client information", data.get("reason", ""))
    if verb == "participant.removed":
        return _with_text(
            f"{actor} removed {data.get('organization', 'an organization')} from the case", data.get("reason", "")
        )
    if verb.endswith(".corrected"):
        thing = verb.split(".")[0].replace("_", " ")
        return _with_text(f"{actor} corrected the {thing}'s {data.get('field', 'text')}", data.get("text", ""))
    if verb == "solicitation.amended":
        fields = ", ".join(data.get("fields", []))
        return f"{actor} amended solicitation {data.get('number', '')} ({fields}) after it was published."
    return f"{actor}: {verb.replace('.', ' ').replace('_', ' ')}."


@register.simple_tag(takes_context=True)
def redact_link(context, case, target: str, object_id: int, field: str, text: str = "") -> str:
    """Site staff's "Redact" link beside a text that may carry client information; nothing for anyone else, and
    nothing where there is no text or it is already redacted. It leads to a confirmation page and comes back here."""
    request = context.get("request")
    user = getattr(request, "user", None)
    entry = redactables.find(target, field)
    if not getattr(user, "is_staff", False) or entry is None or not (text or "").strip() or text == MARKER:
        return ""
    url = reverse("case-redact", args=[getattr(case, "pk", case), target, object_id, field])
    url += "?" + urlencode({"next": request.get_full_path()})
    return format_html(
        ' <a class="app-redact" href="{}">Redact<span class="usa-sr-only"> {}</span></a>', url, entry.label
    )


@dataclass(frozen=True)
class TimelineGroup:
    """One row of the timeline: an event, or a run of the same thing done by the same person in a row."""

    events: list

    @property
    def first(self) -> Event:
        return self.events[0]

    @property
    def count(self) -> int:
        return len(self.events)


# How a run of one kind of event is counted: "31 reports scheduled".
_RUN_NOUNS = {
    "report.scheduled": ("report scheduled", "reports scheduled"),
    "milestone.added": ("milestone added", "milestones added"),
    "document.uploaded": ("document uploaded", "documents uploaded"),
    "participant.added": ("organization added", "organizations added"),
}


@register.simple_tag
def timeline_groups(events) -> list[TimelineGroup]:
    """The timeline with each run of the same verb by the same actor folded into one group (oldest first)."""
    groups: list[list] = []
    for event in events:
        last = groups[-1][-1] if groups else None
        if last is not None and last.verb == event.verb and last.actor_id == event.actor_id:
            groups[-1].append(event)
        else:
            groups.append([event])
    return [TimelineGroup(events) for events in groups]


@register.simple_tag
def run_summary(group: TimelineGroup) -> str:
    """ "31 reports scheduled by Ada Admin": the words for a folded run of events."""
    first = group.first
    actor = str(first.actor) if first.actor_id else "the system"
    one, many = _RUN_NOUNS.get(first.verb, ("event", f"× {first.verb.replace('.', ' ').replace('_', ' ')}"))
    return f"{group.count} {many if group.count != 1 else one} by {actor}"
