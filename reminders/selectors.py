"""Reads of a person's own notifications and preferences. Calendar feeds are read in ``reminders.calendar``."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User
from reminders.models import Notification, NotificationStatus, ReminderPreference
from workflow.access import VIEW, case_access

INBOX_STATUSES = [status for status in NotificationStatus.values if status != NotificationStatus.CANCELLED]


def notification_list_for_user(*, user: User) -> QuerySet[Notification]:
    """The user's notifications about cases they may still see (and digests), newest first."""
    return (
        Notification.objects.filter(recipient=user, status__in=INBOX_STATUSES)
        .filter(Q(case__isnull=True) | case_access(user, VIEW, case_field="case_id"))
        .select_related("case")
        .order_by("-created_at", "-id")
    )


def notification_unread_count(*, user: User) -> int:
    return notification_list_for_user(user=user).filter(read_at__isnull=True).count()


def request_unread_count(request) -> int:
    """``notification_unread_count`` for the signed-in user, counted once per page (the header and the dashboard)."""
    if not hasattr(request, "_unread_count"):
        request._unread_count = notification_unread_count(user=request.user)
    return request._unread_count


def preference_for_user(*, user: User) -> ReminderPreference:
    """The user's preferences, or an unsaved row holding the defaults."""
    return ReminderPreference.objects.filter(user=user).first() or ReminderPreference(user=user)
