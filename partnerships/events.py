"""The partnership and TA timelines' own events in words (the machines' `describe_event`)."""

from __future__ import annotations

from datetime import date

from partnerships.choices import DeliveryType


def _actor(event) -> str:
    return str(event.actor) if event.actor_id else "The system"


def _day(value: str) -> str:
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        return "a date not recorded"
    return f"{day:%b} {day.day}, {day.year}"


def describe_event(event) -> str | None:
    """A sentence for the events recorded by this app; None leaves the engine's own words."""
    actor, data = _actor(event), event.data or {}
    verb = event.verb
    if verb == "ta.delivery_recorded":
        kind = dict(DeliveryType.choices).get(data.get("type"), "TA")
        site = data.get("site") or "the Learning Site"
        return f"{actor} recorded a delivery by {site}: {kind[:1].lower()}{kind[1:]} on {_day(data.get('on'))}."
    if verb == "agreement.recorded":
        return f"{actor} recorded the agreement “{data.get('title', '')}”."
    if verb == "agreement.signed":
        organization = data.get("organization", "their organization")
        return f"{actor} signed the agreement “{data.get('title', '')}” for {organization}."
    if verb == "assessment.started":
        return f"{actor} started the assessment “{data.get('title', '')}” for {data.get('organization', '')}."
    if verb == "assessment.submitted":
        return f"{actor} submitted an assessment."
    if verb == "assessment.gap_planned":
        return f"{actor} planned a milestone for an assessment gap."
    if verb == "partnership.updated":
        return f"{actor} updated the partnership's details."
    return None
