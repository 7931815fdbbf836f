"""An application (one Case of kind "application"), its budget by project year, sign-offs and completeness reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization
from grants.models.solicitations import Category, Solicitation
from workflow.access import VIEW
from workflow.models import Case


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = VIEW) -> ApplicationQuerySet:
        """Applications whose case the user may `action`: the one access rule, `Case.objects.visible_to`."""
        return self.filter(case__in=Case.objects.visible_to(user, action).values("id"))


class Application(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="application")
    solicitation = models.ForeignKey(Solicitation, on_delete=models.PROTECT, related_name="applications")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="applications")
    abstract = models.TextField(blank=True)
    amount_requested = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    project_start = models.DateField(null=True, blank=True)
    project_end = models.DateField(null=True, blank=True)
    revision = models.PositiveIntegerField(
        default=1, help_text="Bumped by every change to the content; sign-offs are for one revision."
    )
    grants_gov_submitted_at = models.DateTimeField(null=True, blank=True)
    grants_gov_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="The JustGrants step.")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submission_round = models.PositiveIntegerField(default=0, help_text="How many times it has been submitted.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["solicitation", "category"], name="application_solicitation_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(project_start__isnull=True)
                | Q(project_end__isnull=True)
                | Q(project_end__gt=F("project_start")),
                name="application_end_after_start",
                violation_error_message="The project must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(amount_requested__isnull=True) | Q(amount_requested__gt=0),
                name="application_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.case.title

    def get_absolute_url(self) -> str:
        return reverse("grants-application", args=[self.pk])


class BudgetYear(models.Model):
    """Federal request and committed match (cost share) for one project year."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_years")
    year = models.PositiveSmallIntegerField()
    federal_amount = models.DecimalField(max_digits=12, decimal_places=2)
    match_amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["application", "year"]
        constraints = [
            models.UniqueConstraint(fields=["application", "year"], name="budget_year_once"),
            models.CheckConstraint(condition=Q(year__gte=1), name="budget_year_from_one"),
            models.CheckConstraint(
                condition=Q(federal_amount__gte=0, match_amount__gte=0), name="budget_year_amounts_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Year {self.year}"

    @property
    def total(self):
        return self.federal_amount + self.match_amount

    @property
    def match_percent(self):
        return (100 * self.match_amount / self.total) if self.total else 0


class ApplicationSignoff(models.Model):
    """An applicant organization's admin certifies one version: a revision, with the documents uploaded so far."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="signoffs")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveIntegerField()
    documents_through = models.PositiveBigIntegerField(
        default=0, help_text="The newest document id on the case when signed: a later upload needs a new sign-off."
    )
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "organization", "revision", "documents_through"], name="signoff_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} signed revision {self.revision}"


class CompletenessOutcome(models.TextChoices):
    COMPLETE = "complete", "Complete"
    RETURNED = "returned", "Returned to the applicant"
    REJECTED = "rejected", "Rejected as incomplete"


class CompletenessReview(models.Model):
    """BJA's basic minimum requirements check of one submission round."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="completeness_reviews")
    round = models.PositiveIntegerField()
    outcome = models.CharField(max_length=20, choices=CompletenessOutcome.choices)
    reasons = models.JSONField(default=list, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "round", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "round"], name="completeness_once_per_round")]

    def __str__(self) -> str:
        return f"Round {self.round}: {self.get_outcome_display()}"
