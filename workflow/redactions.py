"""Site staff redact free text that carried client information: the original is removed, everywhere it was copied.

Correcting (``workflow/corrections.py``) is how an author puts their own words right; redacting is how site staff
remove what should never have got in, whoever wrote it. Each app registers the texts its participants write and
others read (``Redactable``: a model's field, and where earlier events carried it) from ``AppConfig.ready()``;
``text_redact`` then, in one transaction:

- replaces the text with ``MARKER``,
- scrubs it from the case's earlier events that carried it (the one exception to the append-only log: the
  trigger lets ``event_data_scrub`` rewrite an event's ``data`` and nothing else, and only inside it),
- scrubs the copies other apps keep (notifications, waiting items, deadlines: ``redaction_copies_register``),
- records ``<target>.redacted`` naming the staff member and their reason (itself guarded, see ``config/phi.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction

from accounts.models import User
from config.errors import Conflict, NotAllowed, NotFound, ServiceError
from config.phi import client_information_find, client_information_message
from workflow.access import VIEW, case_require
from workflow.models import Case, Event
from workflow.services import event_record

MARKER = "[redacted by site staff]"
# A copy (a notification's body) quotes the text inside its own words: a text shorter than this is replaced there only
# where it is the whole value, so redacting "Yes" does not rewrite "Yesterday".
QUOTED_MIN_LENGTH = 8
# PostgreSQL: the trigger on workflow_event lets an UPDATE through only while this is on (workflow migration 0006).
SCRUB_SETTING = "jmhcp.event_scrub"


@dataclass(frozen=True)
class Carried:
    """Where earlier events carried a text: events of the case whose ``data[key]`` is the object's id, at these
    paths (``"note"``, or ``"changes.title"`` for a value inside a dict), optionally only for these verbs."""

    key: str
    paths: tuple[str, ...]
    verbs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Redactable:
    """One free-text field site staff may redact."""

    #: The API's name for the object (``"milestone"``); the event is ``<target>.redacted``.
    target: str
    field: str
    model: type[models.Model]
    #: What it is, in words: "a milestone's evidence note".
    label: str
    #: The path from the model to its case (``"partnership__case"``); ``""`` for the case itself.
    case_path: str = "case"
    carried: tuple[Carried, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return (self.target, self.field)

    def events(self) -> tuple[Carried, ...]:
        """The events that carried it, with the corrections of it (``workflow.corrections.correction_record``)."""
        return (*self.carried, Carried(self.target, ("text",), verbs=(f"{self.target}.corrected",)))


class RedactableRegistry:
    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], Redactable] = {}

    def register(self, entry: Redactable) -> Redactable:
        self._entries[entry.key] = entry
        return entry

    def unregister(self, target: str, field: str) -> None:
        self._entries.pop((target, field), None)

    def get(self, target: str, field: str) -> Redactable:
        """The entry, or a 400 naming what is not redactable."""
        if not any(key[0] == target for key in self._entries):
            known = ", ".join(sorted({key[0] for key in self._entries}))
            message = f"“{target}” is not something that can be redacted ({known})."
            raise ServiceError(message, field="target", code="unknown_target")
        entry = self._entries.get((target, field))
        if entry is None:
            known = ", ".join(sorted(key[1] for key in self._entries if key[0] == target))
            message = f"A {target.replace('_', ' ')}'s “{field}” cannot be redacted ({known})."
            raise ServiceError(message, field="field", code="unknown_field")
        return entry

    def find(self, target: str, field: str) -> Redactable | None:
        return self._entries.get((target, field))

    def __iter__(self):
        return iter(sorted(self._entries.values(), key=lambda entry: entry.key))


redactables = RedactableRegistry()

#: callable(case_id=, originals=, marker=) -> None: rewrite the app's own copies of the originals on the case.
_copy_scrubbers: list[Callable[..., None]] = []


def redaction_copies_register(scrubber: Callable[..., None]) -> None:
    """An app above the engine that copies text (a notification's body) registers how to scrub its copies."""
    if scrubber not in _copy_scrubbers:
        _copy_scrubbers.append(scrubber)


def text_replace(value: str, originals: Iterable[str], marker: str = MARKER) -> str:
    """`value` with each original replaced by the marker (a short original only where it is the whole value)."""
    for original in sorted(originals, key=len, reverse=True):
        if value == original:
            return marker
        if len(original) >= QUOTED_MIN_LENGTH:
            value = value.replace(original, marker)
    return value


def redaction_require(*, actor: User, case: Case | int) -> None:
    """Site staff only, whatever their part in the case: 404 to who may not see the case, 403 to who may."""
    if actor.is_staff:
        return
    case_require(user=actor, case=case, action=VIEW, message="Only site staff can redact.")
    raise NotAllowed("Only site staff can redact.")


def reason_check(reason: str, *, required: bool = True) -> str:
    """The redaction's reason, stripped: required unless said otherwise, and never client information."""
    reason = (reason or "").strip()
    if not reason and required:
        raise ServiceError("Say why the text is redacted.", field="reason", code="required")
    findings = client_information_find(reason)
    if findings:
        # The reason stays in the timeline everyone on the case reads: it must not repeat what is removed.
        raise ServiceError(client_information_message(findings), field="reason", code="client_information")
    return reason


def _scrub_value(value: Any, found: set[str]) -> Any:
    if isinstance(value, str):
        if value and value != MARKER:
            found.add(value)
            return MARKER
        return value
    if isinstance(value, list):
        return [_scrub_value(item, found) for item in value]
    return value


def _scrub_path(data: dict, path: str, found: set[str]) -> None:
    *parents, last = path.split(".")
    holder = data
    for name in parents:
        holder = holder.get(name) if isinstance(holder, dict) else None
    if isinstance(holder, dict) and last in holder:
        holder[last] = _scrub_value(holder[last], found)


def event_data_scrub(event_id: int, data: dict) -> None:
    """Rewrite one event's ``data``: the append-only log's one exception, for a redaction only.

    On PostgreSQL the trigger refuses any UPDATE of an event unless this transaction has turned the scrub setting
    on, and even then lets through a change of ``data`` alone; the setting is off again before this returns.
    """
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute("SELECT set_config(%s, 'on', true)", [SCRUB_SETTING])
        # Past EventQuerySet.update, which refuses every other caller. Should it fail, the transaction (or its
        # savepoint) rolls back, and the setting with it.
        models.QuerySet.update(Event.objects.filter(pk=event_id), data=data)
        if postgresql:
            cursor.execute("SELECT set_config(%s, 'off', true)", [SCRUB_SETTING])


def events_scrub(*, case_id: int, object_id: int, field: str, carried: Iterable[Carried]) -> set[str]:
    """Scrub the text from the case's events that carried it; returns the texts removed (every earlier version)."""
    found: set[str] = set()
    for where in carried:
        events = Event.objects.filter(case_id=case_id, **{f"data__{where.key}": object_id}).exclude(
            verb__endswith=".redacted"
        )
        if where.verbs:
            events = events.filter(verb__in=where.verbs)
        for event_id, verb, data in events.values_list("pk", "verb", "data"):
            if verb.endswith(".corrected") and data.get("field") != field:
                continue
            before = repr(data)
            for path in where.paths:
                _scrub_path(data, path, found)
            if repr(data) != before:
                event_data_scrub(event_id, data)
    return found


def copies_scrub(*, case_id: int, originals: set[str]) -> None:
    """Scrub the copies other apps keep of these texts on the case (their registered scrubbers)."""
    originals = {text for text in originals if text and text != MARKER}
    if originals:
        for scrubber in list(_copy_scrubbers):
            scrubber(case_id=case_id, originals=originals, marker=MARKER)


def _on_case(entry: Redactable, *, case: Case, object_id: int) -> models.QuerySet:
    rows = entry.model.objects.filter(pk=object_id)
    return rows.filter(**{f"{entry.case_path}_id": case.pk}) if entry.case_path else rows.filter(pk=case.pk)


def redactable_row(entry: Redactable, *, case: Case, object_id: int) -> models.Model | None:
    """The object whose text a page offers to redact, if it is on this case."""
    return _on_case(entry, case=case, object_id=object_id).first()


def _locked_object(entry: Redactable, *, case: Case, object_id: int) -> models.Model:
    found = _on_case(entry, case=case, object_id=object_id).select_for_update(of=("self",)).first()
    if found is None:
        raise ServiceError(f"No such {entry.target.replace('_', ' ')} on this case.", field="id", code="not_found")
    return found


@dataclass(frozen=True)
class Redaction:
    entry: Redactable
    object: models.Model
    event: Event


@transaction.atomic
def text_redact(*, case: Case | int, actor: User, target: str, object_id: int, field: str, reason: str) -> Redaction:
    """Site staff replace one free text with ``MARKER`` and scrub every earlier copy of it, in one transaction."""
    case_id = case.pk if isinstance(case, Case) else case
    locked = Case.objects.select_for_update(of=("self",)).filter(pk=case_id).first()
    if locked is None:
        raise NotFound("Case not found.")
    redaction_require(actor=actor, case=locked)
    entry = redactables.get(target, field)
    reason = reason_check(reason)
    row = _locked_object(entry, case=locked, object_id=object_id)
    current = getattr(row, field) or ""
    if current == MARKER:
        raise Conflict(f"This {entry.label.split(' ', 1)[-1]} has already been redacted.", code="redacted")
    originals = events_scrub(case_id=locked.pk, object_id=row.pk, field=field, carried=entry.events())
    if not current.strip() and not originals:
        raise ServiceError("There is no text here to redact.", field="field", code="empty")
    if current.strip():
        originals.add(current)
        setattr(row, field, MARKER)
        row._meta.get_field(field).clean(MARKER, row)
        row.save(update_fields=[field])
    copies_scrub(case_id=locked.pk, originals=originals)
    event = event_record(
        case=locked,
        actor=actor,
        verb=f"{target}.redacted",
        data={target: row.pk, "field": field, "reason": reason},
    )
    return Redaction(entry=entry, object=row, event=event)


def redaction_describe(event: Event) -> str:
    """The timeline's words for a ``<target>.redacted`` event (not a document's: it has its own)."""
    data = event.data or {}
    target, field = event.verb.removesuffix(".redacted"), data.get("field", "")
    entry = redactables.find(target, field)
    what = entry.label if entry else f"a {target.replace('_', ' ')}'s {field.replace('_', ' ')}"
    actor = str(event.actor) if event.actor_id else "Site staff"
    reason = data.get("reason", "")
    return f"{actor} (site staff) redacted {what}" + (f" — {reason}" if reason else ".")


def register_redactables() -> None:
    """The engine's own texts: a case's title, a milestone's note and its reviewer's comment, a withdrawal's reason."""
    from workflow.models import Document, Milestone

    for entry in (
        Redactable("case", "title", Case, "the case's title", case_path=""),
        Redactable(
            "milestone",
            "note",
            Milestone,
            "a milestone's evidence note",
            carried=(Carried("milestone", ("note",), verbs=("milestone.submitted",)),),
        ),
        Redactable(
            "milestone",
            "reviewer_comment",
            Milestone,
            "a milestone's reviewer comment",
            carried=(Carried("milestone", ("comment",), verbs=("milestone.approved", "milestone.changes_requested")),),
        ),
        Redactable(
            "document",
            "withdrawal_reason",
            Document,
            "a document's withdrawal reason",
            carried=(Carried("document", ("reason",), verbs=("document.withdrawn",)),),
        ),
    ):
        redactables.register(entry)
