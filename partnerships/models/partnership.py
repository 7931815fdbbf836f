from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organization
from grants.awards.machine import AWARD_KIND
from partnerships.choices import MemberRole
from workflow.models import Case

PARTNERSHIP_KIND = "partnership"


class Partnership(models.Model):
    """A police–mental health partnership. Its stage, participants and history live on its case."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="partnership")
    response_models = models.JSONField(default=list, blank=True, help_text="ResponseModel values; several allowed.")
    jurisdiction = models.CharField(max_length=200)
    population_served = models.CharField(
        max_length=200, blank=True, help_text="Who the program serves, e.g. “City residents (116,000)”."
    )
    description = models.TextField(blank=True)
    # The award that funds it, if any: a case of kind "award" (the grants app's), never a grants model.
    award = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="funded_partnerships",
        limit_choices_to={"kind": AWARD_KIND},
    )
    # The stage a paused partnership resumes to (set when it is paused).
    paused_from = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.case.title


class PartnershipMember(models.Model):
    """An organization's place in a partnership. Its access comes from the case participant created with it."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="partnership_memberships")
    role = models.CharField(max_length=30, choices=MemberRole.choices)
    responsibilities = models.CharField(max_length=300, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["partnership", "joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "organization"], name="partnership_member_once"),
            models.UniqueConstraint(
                fields=["partnership"], condition=Q(role="lead_agency"), name="partnership_one_lead_agency"
            ),
        ]
        indexes = [models.Index(fields=["organization", "partnership"], name="partnership_member_org_idx")]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"
