"""What else happens when an event is recorded: listeners that apps above the engine register.

The engine knows no notification, queue or reminder (they live above it, in ``reminders``), yet every
change on a case is written to the event log through ``workflow.services.event_record``. An app that must
react to changes registers a listener from its ``AppConfig.ready()``::

    from workflow.events import event_listen

    event_listen(handoffs_from_event)

Listeners run inside the transaction that records the event, right after the row is written: what they
write (outbox rows) commits or rolls back with the change itself, so a crash between the two cannot lose a
notification or send one for a change that did not happen. Keep them cheap: one or two queries per event.
"""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[..., None]

_listeners: list[Listener] = []


def event_listen(listener: Listener) -> Listener:
    """Call ``listener(event)`` for every event recorded from now on (once, however often registered)."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def event_unlisten(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def event_announce(event) -> None:
    """Hand a just-recorded event to every listener, in the recording transaction."""
    for listener in list(_listeners):
        listener(event)
