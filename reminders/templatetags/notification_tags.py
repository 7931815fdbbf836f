"""The page header's unread notification count."""

from __future__ import annotations

from django import template

from reminders.selectors import request_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The signed-in user's unread notification count (one query, shared with the dashboard), 0 for anyone else."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return request_unread_count(request)
