"""Deadlines, the notification outbox, per-user reminder preferences and calendar feeds.

See docs/reminders.md for how the sweep and the delivery use these tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from workflow.models import Case


class Deadline(models.Model):
    """One dated thing that is reminded about, mirrored from its source (a task, a milestone, an award...).

    ``next_remind_at`` is when the sweep must look at it next; NULL once it is
    closed or past its last reminder. The sweep reads only rows whose
    ``next_remind_at`` has come (a partial index), so its cost follows the
    number of deadlines entering a window, not the number of deadlines.
    """

    source = models.CharField(max_length=40, help_text="The registered deadline source, e.g. task or milestone.")
    object_id = models.PositiveBigIntegerField()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    title = models.CharField(max_length=300)
    due_date = models.DateField()
    due_time = models.TimeField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, help_text="The zone the due date is in (the case organization's).")
    next_remind_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "object_id"], name="deadline_unique_source_object")]
        indexes = [
            models.Index(
                fields=["next_remind_at"], condition=Q(next_remind_at__isnull=False), name="deadline_sweep_idx"
            ),
            models.Index(fields=["case", "due_date"], name="deadline_case_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.object_id}: {self.title} due {self.due_date}"


class Channel(models.TextChoices):
    EMAIL = "email", "Email me right away"
    DIGEST = "digest", "Include it in my daily digest"
    IN_APP = "in_app", "Only show it here (no email)"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be emailed"
    DIGEST = "digest", "Waiting for the daily digest"
    IN_APP = "in_app", "In-app only"
    SENT = "sent", "Emailed"
    DIGESTED = "digested", "Emailed in a digest"
    FAILED = "failed", "Email failed"
    CANCELLED = "cancelled", "Not sent"


class Notification(models.Model):
    """One message to one person, in the app and (by their choice) by email: the outbox row.

    ``(target, window, recipient)`` is unique, so a second sweep, or two at once,
    inserts nothing new. A reminder's target names its deadline and due date:
    an extended deadline gets fresh keys for its new date.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40, help_text="A deadline source, task_activity or digest.")
    target = models.CharField(max_length=120)
    window = models.CharField(max_length=40)
    deadline = models.ForeignKey(
        Deadline, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=250)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True, help_text="Path of the item on this site.")
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=NotificationStatus.choices, default=NotificationStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    digest = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["target", "window", "recipient"], name="notification_unique_key"),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="notification_outbox_idx"),
            models.Index(fields=["recipient", "status"], condition=Q(status="digest"), name="notification_digest_idx"),
            models.Index(fields=["recipient", "read_at", "created_at"], name="notification_inbox_idx"),
            models.Index(fields=["deadline", "status"], name="notification_deadline_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient_id}"


class ReminderPreference(models.Model):
    """A user's reminder windows, quiet days and channel per kind. No row means the site defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="reminder_preference"
    )
    days_before = models.JSONField(null=True, blank=True, help_text="Days before a due date to remind; null: default.")
    on_due_day = models.BooleanField(default=True)
    overdue = models.BooleanField(default=True, help_text="Remind again every few days while overdue.")
    quiet_days = models.JSONField(default=list, blank=True, help_text="Weekdays (0 = Monday) without email.")
    channels = models.JSONField(default=dict, blank=True, help_text="Kind → email, digest or in_app.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Reminder preferences of {self.user_id}"


class CalendarFeed(models.Model):
    """A secret iCalendar URL. Only a hash of its token is stored; the URL is shown once, when made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    name = models.CharField(max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name or f"Calendar feed {self.pk}"


class WaitingItem(models.Model):
    """One open item of someone's "Waiting for me" queue, kept by ``reminders.services.handoffs`` from the
    declarations of ``workflow.routing``, in the transaction of each event of its case.

    One row per holder: an organization's members with one membership role (``organization``,
    ``member_role``) or one user. A user's queue is then one indexed join with their active memberships, and
    whoever joins or leaves the organization gains or loses its items with no row to rewrite. The item's own
    fields repeat on each of its rows (an item has one to three holders).
    """

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(max_length=80, help_text="The declaring step (workflow.routing).")
    object_id = models.PositiveBigIntegerField(default=0, help_text="The row it is about; 0: the case itself.")
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    member_role = models.CharField(max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    except_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="Who may not clear it (e.g. the one who submitted it).",
    )  # fmt: skip
    action = models.CharField(max_length=250)
    url = models.CharField(max_length=300)
    comment = models.TextField(blank=True)
    since = models.DateTimeField()
    due_date = models.DateField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, help_text="When the clock has a time of day.")
    event_id = models.PositiveBigIntegerField(null=True, blank=True, help_text="The event that opened it.")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, organization__isnull=True)
                | Q(user__isnull=True, organization__isnull=False),
                name="waiting_item_one_holder",
            ),
        ]
        indexes = [
            # A user's queue: each of their memberships' (organization, role), and their own rows, in the queue's
            # order (most urgent first), covering the item: the queue walks these and reads the full row only for
            # the page it shows (reminders.queue.Queue).
            models.Index(
                fields=["organization", "member_role", "due_date", "due_at", "since", "step", "object_id"],
                include=["id", "case", "action", "except_user"],
                name="waiting_org_idx",
            ),
            models.Index(
                fields=["user", "due_date", "due_at", "since", "step", "object_id"],
                include=["id", "case", "action", "except_user"],
                name="waiting_user_idx",
            ),
            models.Index(fields=["case", "step"], name="waiting_case_idx"),
        ]

    def __str__(self) -> str:
        return self.action
