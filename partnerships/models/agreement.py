from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Organization
from partnerships.choices import AgreementKind
from partnerships.models.partnership import Partnership
from workflow.models import Document


class AgreementStatus(models.TextChoices):
    AWAITING_SIGNATURES = "awaiting_signatures", "Awaiting signatures"
    NOT_YET_EFFECTIVE = "not_yet_effective", "Signed, not yet effective"
    IN_FORCE = "in_force", "In force"
    EXPIRED = "expired", "Expired"


class Agreement(models.Model):
    """An MOU or information-sharing agreement between member organizations.

    It records who agreed to what and when, never client-level health information.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(max_length=30, choices=AgreementKind.choices)
    title = models.CharField(max_length=200)
    effective_date = models.DateField()
    expiry_date = models.DateField(null=True, blank=True, help_text="Leave empty when it does not expire.")
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["partnership", "-effective_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expiry_date__isnull=True) | Q(expiry_date__gt=F("effective_date")),
                name="agreement_expires_after_effective",
                violation_error_message="The expiry date must be after the effective date.",
            )
        ]
        # The reminder sweep asks for agreements whose expiry enters a window.
        indexes = [models.Index(fields=["expiry_date"], name="agreement_expiry_idx")]

    def __str__(self) -> str:
        return self.title

    def status(self, today: date) -> str:
        """Needs `parties` prefetched (or costs one query)."""
        if any(party.signed_on is None for party in self.parties.all()):
            return AgreementStatus.AWAITING_SIGNATURES
        if self.expiry_date is not None and self.expiry_date <= today:
            return AgreementStatus.EXPIRED
        if self.effective_date > today:
            return AgreementStatus.NOT_YET_EFFECTIVE
        return AgreementStatus.IN_FORCE


class AgreementParty(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organization"], name="agreement_party_once"),
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True, signed_by__isnull=True)
                | Q(signed_on__isnull=False, signed_by__isnull=False),
                name="agreement_party_signed_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} on {self.agreement}"
