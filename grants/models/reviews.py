"""Peer review (assignments and scores per criterion) and the funding decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from grants.models.applications import Application
from grants.models.solicitations import Criterion


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "Assigned: conflict of interest not declared yet"
    DECLARED = "declared", "No conflict declared: scoring"
    SUBMITTED = "submitted", "Submitted"
    RECUSED = "recused", "Recused (conflict of interest)"


class ReviewAssignment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="review_assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments")
    status = models.CharField(max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED)
    due_date = models.DateField()
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    declared_at = models.DateTimeField(null=True, blank=True)
    conflict_note = models.TextField(blank=True)
    comment = models.TextField(blank=True, help_text="The reviewer's overall comment.")
    total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The reviewer's work in progress ({"scores": {criterion id: {"score", "comment"}}, "comment"}): read by no one
    # else, so a half-done review never shows among the scores; emptied when the review is submitted.
    draft = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["application", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_assignment_once"),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False, total__isnull=False),
                name="review_submitted_has_total",
            ),
        ]
        indexes = [
            models.Index(fields=["reviewer", "status", "due_date"], name="review_reviewer_idx"),
            models.Index(fields=["application", "status"], name="review_application_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} on {self.application_id} ({self.status})"


class ReviewScore(models.Model):
    assignment = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=5, decimal_places=2)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["assignment", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="review_score_once"),
            models.CheckConstraint(condition=Q(score__gte=0), name="review_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class Outcome(models.TextChoices):
    AWARDED = "awarded", "Awarded"
    NOT_FUNDED = "not_funded", "Not funded"


class Decision(models.Model):
    """The funding decision, recorded by the grant manager in the same step as the "award" or "not funded" move."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    decided_on = models.DateField()
    conditions = models.TextField(blank=True, help_text="Award special conditions, or why it was not funded.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="not_funded", amount__isnull=True) | Q(outcome="awarded", amount__gt=0),
                name="decision_award_has_amount",
                violation_error_message="An award needs a positive amount; a decision not to fund has none.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {self.decided_on}"
