"""Writes on a person's own notifications and preferences: mark read, choose windows and channels, unsubscribe."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from config.errors import NotFound, ServiceError
from reminders import selectors
from reminders.emails import unsubscribe_read
from reminders.models import Channel, Notification, NotificationStatus, ReminderPreference
from reminders.preferences import ACTIVITY_KIND, DIGEST_KIND, SOLICITATION_AMENDED_KIND
from reminders.registry import registry


def notification_kinds() -> list[str]:
    """Every kind a person may choose a channel for: each deadline source, task activity, solicitation amendments."""
    return [source.key for source in registry] + [ACTIVITY_KIND, SOLICITATION_AMENDED_KIND]


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    notification = selectors.notification_list_for_user(user=user).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound("Notification not found.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    unread = selectors.notification_list_for_user(user=user).filter(read_at__isnull=True)
    return Notification.objects.filter(pk__in=unread.values("pk")).update(read_at=timezone.now())


def _clean_days(days: list[int] | None) -> list[int] | None:
    if days is None:
        return None
    allowed = set(settings.REMINDER_DAYS_BEFORE_CHOICES)
    wrong = sorted(set(days) - allowed)
    if wrong:
        choices = ", ".join(str(day) for day in sorted(allowed))
        raise ServiceError(f"Choose days before from {choices}.", field="days_before", code="invalid_choice")
    return sorted(set(days), reverse=True)


@transaction.atomic
def preference_update(
    *,
    user: User,
    days_before: list[int] | None = None,
    on_due_day: bool = True,
    overdue: bool = True,
    quiet_days: list[int] | None = None,
    channels: dict[str, str] | None = None,
) -> ReminderPreference:
    """Save the user's reminder preferences. `days_before` None means "the site's default windows"."""
    kinds = set(notification_kinds())
    channels = dict(channels or {})
    for kind, channel in channels.items():
        if kind not in kinds:
            raise ServiceError(f"“{kind}” is not a kind of notification.", field="channels", code="invalid_choice")
        if channel not in Channel.values:
            raise ServiceError(f"“{channel}” is not a channel.", field="channels", code="invalid_choice")
    quiet = sorted(set(quiet_days or []))
    if any(day not in range(7) for day in quiet):
        raise ServiceError("Quiet days are weekdays from 0 (Monday) to 6 (Sunday).", field="quiet_days")
    preference, _ = ReminderPreference.objects.select_for_update().get_or_create(user=user)
    preference.days_before = _clean_days(days_before)
    preference.on_due_day = on_due_day
    preference.overdue = overdue
    preference.quiet_days = quiet
    preference.channels = channels
    preference.full_clean()
    preference.save()
    return preference


@transaction.atomic
def notification_unsubscribe(*, token: str) -> tuple[User, str]:
    """Stop email for one kind (the link in every email; no sign-in needed, the token is signed).

    The kind becomes in-app only; for the digest, every kind sent by digest does.
    Waiting emails of that kind are not sent.
    """
    found = unsubscribe_read(token)
    user = User.objects.filter(pk=found[0], is_active=True).first() if found else None
    if user is None:
        raise NotFound("This unsubscribe link is not valid.")
    kind = found[1]
    preference, _ = ReminderPreference.objects.select_for_update().get_or_create(user=user)
    channels = dict(preference.channels or {})
    if kind == DIGEST_KIND:
        kinds = [name for name, channel in channels.items() if channel == Channel.DIGEST]
        waiting = NotificationStatus.DIGEST
    else:
        kinds, waiting = [kind], NotificationStatus.PENDING
    for name in kinds:
        channels[name] = Channel.IN_APP
    preference.channels = channels
    preference.save(update_fields=["channels", "updated_at"])
    Notification.objects.filter(recipient=user, kind__in=kinds, status=waiting).update(
        status=NotificationStatus.IN_APP, claimed_until=None
    )
    return user, kind
