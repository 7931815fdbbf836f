from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organization
from partnerships.choices import Answer, AssessmentStatus
from partnerships.models.partnership import Partnership
from workflow.models import ChecklistItem, ChecklistTemplate, Milestone


class Assessment(models.Model):
    """One member organization's run through the checklist for its audience (a version of a template)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="assessments")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    # The organization's submitted assessment before this one: what a re-assessment is compared with.
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Overall score in percent, kept when submitted so the trend chart needs no answers.
    score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["partnership", "organization", "-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organization"],
                condition=Q(status="draft"),
                name="assessment_one_draft_per_member",
                violation_error_message="This organization already has an assessment in progress.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False, submitted_by__isnull=False),
                name="assessment_submitted_has_submitter",
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "organization", "status", "submitted_at"], name="assessment_trend_idx")
        ]

    def __str__(self) -> str:
        return f"{self.template.title} by {self.organization}"

    @property
    def is_locked(self) -> bool:
        return self.status == AssessmentStatus.SUBMITTED


class AssessmentAnswer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=20, choices=Answer.choices, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    # The milestone this gap became on the partnership (one per answer).
    milestone = models.OneToOneField(
        Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="assessment_answer"
    )

    class Meta:
        ordering = ["assessment", "item__order"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="assessment_answer_once")]

    def __str__(self) -> str:
        return f"{self.item}: {self.answer or 'unanswered'}"
