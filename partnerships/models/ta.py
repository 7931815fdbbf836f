from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organization
from partnerships.choices import DeliveryType, TATopic
from workflow.models import Case

TA_REQUEST_KIND = "ta_request"


class LearningSiteProfile(models.Model):
    """What a Learning Site offers: the response models it runs, what it can help with, and how much."""

    organization = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        related_name="learning_site_profile",
        limit_choices_to={"is_learning_site": True},
    )
    response_models = models.JSONField(default=list, blank=True)
    topics = models.JSONField(default=list, blank=True)
    capacity_per_quarter = models.PositiveSmallIntegerField(
        default=0, help_text="TA engagements (consultations, visits, trainings) the site can take on per quarter."
    )
    summary = models.TextField(blank=True)
    # Whom other agencies reach at the site: a work contact, never a client.
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organization__name"]

    def __str__(self) -> str:
        return f"Learning Site profile of {self.organization}"


class TARequest(models.Model):
    """A request for technical assistance from a Learning Site. Its stage lives on its case.

    The two service clocks are fixed when the request is filed: acknowledgement
    within 48 business hours, a match with a site within 2 weeks.
    """

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="ta_request")
    topic = models.CharField(max_length=30, choices=TATopic.choices)
    preferred_delivery = models.CharField(max_length=30, choices=DeliveryType.choices)
    preferred_site = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty: any Learning Site.",
    )
    description = models.TextField(max_length=4000)
    acknowledge_due_at = models.DateTimeField()
    match_due_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    matched_at = models.DateTimeField(null=True, blank=True)
    matched_site = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    scheduled_for = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-case__opened_at", "-id"]
        indexes = [
            # The coordinators' overdue lists: open clocks by due time.
            models.Index(fields=["acknowledged_at", "acknowledge_due_at"], name="ta_ack_clock_idx"),
            models.Index(fields=["matched_at", "match_due_at"], name="ta_match_clock_idx"),
            models.Index(fields=["matched_site", "matched_at"], name="ta_matched_site_idx"),
        ]

    def __str__(self) -> str:
        return self.case.title


class TADelivery(models.Model):
    """One piece of assistance delivered: what the annual report counts."""

    ta_request = models.ForeignKey(TARequest, on_delete=models.CASCADE, related_name="deliveries")
    delivered_on = models.DateField()
    delivery_type = models.CharField(max_length=30, choices=DeliveryType.choices)
    site = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    attendees = models.IntegerField(null=True, blank=True, help_text="For trainings and webinars.")
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    note = models.TextField(blank=True, max_length=2000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ta_request", "delivered_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendees__isnull=True) | Q(attendees__gte=0),
                name="ta_delivery_attendees_not_negative",
                violation_error_message="The attendee count cannot be below zero.",
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0), name="ta_delivery_hours_positive", violation_error_message="Hours must be >0."
            ),
        ]
        indexes = [models.Index(fields=["delivered_on", "site"], name="ta_delivery_year_idx")]

    def __str__(self) -> str:
        return f"{self.get_delivery_type_display()} on {self.delivered_on}"
