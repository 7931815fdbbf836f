"""Filters for the partnership and TA pages: service clocks in words, labels of our choices, scores."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

from partnerships.choices import Answer, DeliveryType, EssentialElement, ResponseModel, TATopic

register = template.Library()

_LABELS = {
    **dict(ResponseModel.choices),
    **dict(TATopic.choices),
    **dict(DeliveryType.choices),
    **dict(EssentialElement.choices),
    **dict(Answer.choices),
}


def _span(seconds: float) -> str:
    hours = int(abs(seconds) // 3600)
    days, hours = divmod(hours, 24)
    parts = [f"{days} day{'s' if days != 1 else ''}"] if days else []
    if hours or not days:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}" if hours else "less than an hour")
    return " ".join(parts)


@register.filter
def clock(due: datetime | None, done: datetime | None = None) -> str:
    """A service clock in words: "due in 1 day 4 hours", "3 hours overdue", or how it ended."""
    if due is None:
        return ""
    if done is not None:
        return "done in time" if done <= due else f"done {_span((done - due).total_seconds())} late"
    left = (due - timezone.now()).total_seconds()
    return f"due in {_span(left)}" if left >= 0 else f"{_span(left)} overdue"


@register.filter
def clock_state(due: datetime | None, done: datetime | None = None) -> str:
    if due is None:
        return ""
    if done is not None:
        return "done" if done <= due else "late"
    return "overdue" if due < timezone.now() else "upcoming"


@register.filter
def label(value: str) -> str:
    """The words for one of our choice values (response model, topic, delivery, element, answer)."""
    return _LABELS.get(value, value)


@register.filter
def labels(values) -> str:
    return ", ".join(_LABELS.get(value, value) for value in values or [])


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{float(value):g}%"


@register.filter
def signed(value) -> str:
    """A change in points: "+12.5", "−4", "0"."""
    if value is None:
        return "—"
    return f"+{value:g}" if value > 0 else f"−{-value:g}" if value < 0 else "0"


@register.filter
def expires(day) -> str:
    """An expiry date as a countdown in words: "expires in 30 days", "expires today", "expired 3 days ago"."""
    if day is None:
        return "does not expire"
    days = (day - timezone.localdate()).days
    if days == 0:
        return "expires today"
    plural = "s" if abs(days) != 1 else ""
    return f"expires in {days} day{plural}" if days > 0 else f"expired {-days} day{plural} ago"
