"""The emails notifications become: plain text and HTML, dates in the recipient's zone, a signed unsubscribe link."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from reminders.models import Deadline, Notification
from reminders.preferences import ACTIVITY_KIND, DIGEST_KIND, SOLICITATION_AMENDED_KIND
from reminders.registry import registry
from reminders.windows import describe, rel_day

# Named after the app that first signed these links: changing it would break the links in emails already sent.
UNSUBSCRIBE_SALT = "tasks.unsubscribe"


def kind_label(kind: str) -> str:
    if kind == ACTIVITY_KIND:
        return "Task assignments and comments"
    if kind == DIGEST_KIND:
        return "Daily digest"
    if kind == SOLICITATION_AMENDED_KIND:
        return "Changes to a solicitation you are applying to"
    return f"{registry.get(kind).label} due dates" if kind in registry else kind.replace("_", " ").capitalize()


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    """A signed, non-expiring token: links in old emails keep working, and only we can make one."""
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("k"), str):
        return None
    return data["u"], data["k"]


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    return settings.SITE_URL + reverse("notification-unsubscribe", args=[unsubscribe_token(user_id=user_id, kind=kind)])


def due_in_zone(deadline: Deadline, zone: str) -> tuple[str, str]:
    """The due date (and time, converted) as the recipient reads it, and its ISO form."""
    if deadline.due_time is None:
        return (
            f"{deadline.due_date:%A, %B} {deadline.due_date.day}, {deadline.due_date.year}",
            deadline.due_date.isoformat(),
        )
    moment = datetime.combine(deadline.due_date, deadline.due_time, tzinfo=ZoneInfo(deadline.time_zone))
    local = moment.astimezone(ZoneInfo(zone))
    hour = local.strftime("%I:%M %p").lstrip("0")
    return f"{local:%A, %B} {local.day}, {local.year} at {hour} {local.tzname()}", local.isoformat()


def _item(notification: Notification, zone: str, now: datetime) -> dict:
    deadline = notification.deadline
    item = {"notification": notification, "link": settings.SITE_URL + notification.url, "case": notification.case}
    if deadline is not None:
        item["due"], item["due_iso"] = due_in_zone(deadline, zone)
        item["rel"] = rel_day(deadline.due_date, deadline.time_zone, now)
        item["countdown"] = describe(item["rel"])
        item["title"] = deadline.title
        item["label"] = registry.get(deadline.source).label if deadline.source in registry else deadline.source
    return item


def notification_email(
    notification: Notification, *, items: list[Notification] | None = None
) -> EmailMultiAlternatives:
    """The email for one outbox row; `items` are a digest's notifications (already checked by the caller)."""
    user = notification.recipient
    now = timezone.now()
    context = {
        "user": user,
        "notification": notification,
        "site_url": settings.SITE_URL,
        "preferences_url": settings.SITE_URL + reverse("notification-preferences"),
        "unsubscribe_url": unsubscribe_url(user_id=user.id, kind=notification.kind),
        "kind_label": kind_label(notification.kind),
    }
    with timezone.override(user.time_zone):
        if items is None:
            context["item"] = _item(notification, user.time_zone, now)
            template = "reminders/email/notification"
        else:
            rows = [_item(item, user.time_zone, now) for item in items]
            context["overdue"] = [row for row in rows if row.get("rel", 0) > 0]
            context["today"] = [row for row in rows if row.get("rel") == 0]
            context["upcoming"] = [row for row in rows if row.get("rel", 0) < 0]
            context["other"] = [row for row in rows if "rel" not in row]
            context["local_date"] = now.astimezone(ZoneInfo(user.time_zone)).date()
            template = "reminders/email/digest"
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=text,
        to=[user.email],
        headers={
            # RFC 2369 / RFC 8058: mail clients show their own unsubscribe button and POST to it.
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
