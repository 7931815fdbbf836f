"""Money, deadlines with countdowns, document kinds and the stage chart for the grants pages."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from accounts.models import OrganizationKind
from grants.rules import deadline_text, kind_label
from grants.selectors import application_next_deadline
from grants.validation import money as money_text

register = template.Library()

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH = 22, 8, 190, 330


@register.filter
def money(amount: Decimal | None) -> str:
    return money_text(amount)


@register.filter
def deadline_local(deadline: datetime, time_zone: str) -> str:
    return deadline_text(deadline, time_zone)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@register.filter
def closes_in(deadline: datetime | None, now: datetime | None = None) -> str:
    """ "closes in 12 days", "closes in 5 hours", "closed 2 days ago": a countdown to a deadline instant."""
    if deadline is None:
        return ""
    seconds = (deadline - (now or timezone.now())).total_seconds()
    if seconds < 0:
        days = int(-seconds // 86400)
        return "closed today" if days == 0 else f"closed {_plural(days, 'day')} ago"
    if seconds >= 2 * 86400:
        return f"closes in {_plural(int(seconds // 86400), 'day')}"
    if seconds >= 3600:
        return f"closes in {_plural(int(seconds // 3600), 'hour')}"
    return f"closes in {_plural(max(1, int(seconds // 60)), 'minute')}"


@register.filter
def deadline_state(deadline: datetime | None) -> str:
    """A CSS modifier (the words say it too): overdue once passed, today within a day, else upcoming."""
    if deadline is None:
        return ""
    seconds = (deadline - timezone.now()).total_seconds()
    return "overdue" if seconds < 0 else "today" if seconds < 86400 else "upcoming"


@register.filter
def document_kind(kind: str) -> str:
    return kind_label(kind)


@register.inclusion_tag("grants/includes/stage_chart.html")
def stage_chart(counts, title: str, chart_id: str):
    """Applications by stage as a horizontal bar chart in inline SVG; the words are in its description too."""
    largest = max((row.count for row in counts), default=0) or 1
    bars = [
        {
            "label": row.label,
            "count": row.count,
            "y": index * (BAR_HEIGHT + GAP),
            "text_y": index * (BAR_HEIGHT + GAP) + BAR_HEIGHT * 0.7,
            "width": round(BAR_WIDTH * row.count / largest, 1),
            "count_x": LABEL_WIDTH + round(BAR_WIDTH * row.count / largest, 1) + 6,
        }
        for index, row in enumerate(counts)
    ]
    return {
        "bars": bars,
        "title": title,
        "chart_id": chart_id,
        "height": max(len(bars) * (BAR_HEIGHT + GAP), BAR_HEIGHT),
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "bar_height": BAR_HEIGHT,
        "description": ", ".join(f"{row.label}: {row.count}" for row in counts),
        "total": sum(row.count for row in counts),
    }


@register.filter
def match_for(category, year: int):
    """The category's minimum match for a project year, in percent."""
    return category.match_percent(year)


@register.filter
def next_deadline(application):
    """(step, deadline) the applicants must meet next, or None."""
    return application_next_deadline(application)


@register.filter
def organization_kinds(kinds: list[str]) -> str:
    labels = dict(OrganizationKind.choices)
    return ", ".join(labels.get(kind, kind) for kind in kinds)


@register.filter
def elsewhere(zone: str) -> bool:
    """True when the reader's time zone (active on the page) is not `zone`: then both times are worth showing."""
    return timezone.get_current_timezone_name() != zone
