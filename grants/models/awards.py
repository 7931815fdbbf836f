"""Post-award: the award (one Case of kind "award"), its reports, modifications and match.

Clocks are computed from dates (grants.reporting and the award selectors), not stored as flags: a report
submitted late clears "suspended" and "locked" by itself. The due dates that reminders need are columns.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from grants.models.applications import Application
from workflow.access import VIEW
from workflow.models import Case, Milestone


class AwardQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = VIEW) -> AwardQuerySet:
        return self.filter(case__in=Case.objects.visible_to(user, action).values("id"))


class Award(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="award")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    number = models.CharField(max_length=40, unique=True, help_text="E.g. 15PBJA-27-GG-00042-MUMU.")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    awarded_on = models.DateField()
    start = models.DateField()
    end = models.DateField()
    original_end = models.DateField(help_text="The end date before any no-cost extension.")
    special_conditions = models.TextField(blank=True)
    time_zone = models.CharField(max_length=64, help_text="Where the award's dates are stated (the solicitation's).")
    acceptance_due = models.DateField(help_text="The last day to accept (award date + acceptance days).")
    closeout_days = models.PositiveSmallIntegerField(help_text="Days after the end date for the final reports.")
    closeout_due = models.DateField(help_text="The last day of the closeout window.")
    modification_percent = models.PositiveSmallIntegerField(
        default=10, help_text="Cumulative budget moves above this share of the award need a modification."
    )
    authorized_representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    award_administrator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    alternate_administrator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    financial_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    grant_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decline_reason = models.TextField(blank=True)
    planning_spent = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["-awarded_on", "-id"]
        indexes = [
            models.Index(fields=["acceptance_due"], name="award_acceptance_due_idx"),
            models.Index(fields=["closeout_due"], name="award_closeout_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="award_amount_positive"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="award_end_after_start"),
            models.CheckConstraint(condition=Q(end__gte=F("original_end")), name="award_end_never_shortened"),
            models.CheckConstraint(condition=Q(planning_spent__gte=0), name="award_planning_spent_not_negative"),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(declined_at__isnull=True),
                name="award_accepted_or_declined",
                violation_error_message="An award is accepted or declined, not both.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.case.title}"

    def get_absolute_url(self) -> str:
        return reverse("grants-award-detail", args=[self.pk])

    @property
    def title(self) -> str:
        return self.case.title


class ReportKind(models.TextChoices):
    PERFORMANCE = "performance", "Performance measures (PMT)"
    FINANCIAL = "financial", "Federal Financial Report (SF-425)"
    PROGRESS = "progress", "Semiannual progress report"
    FINAL_PERFORMANCE = "final_performance", "Final performance report"
    FINAL_PROGRESS = "final_progress", "Final progress report"
    FINAL_FINANCIAL = "final_financial", "Final Federal Financial Report (SF-425)"
    PLANNING = "planning", "Planning deliverable"


class Report(models.Model):
    """One report the award owes, as a milestone with its due date; drafted, then approved by the lead agency
    (which submits it to BJA: the milestone's "submitted"), then approved by BJA or sent back."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="reports")
    milestone = models.OneToOneField(Milestone, on_delete=models.PROTECT, related_name="grant_report")
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    due_date = models.DateField()
    text = models.TextField(blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(null=True, blank=True)
    first_submitted_on = models.DateField(
        null=True, blank=True, help_text="First submitted to BJA: clears the suspended and locked flags."
    )

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["award", "first_submitted_on", "due_date"], name="report_open_due_idx")]

    def __str__(self) -> str:
        return self.milestone.title


class ModificationKind(models.TextChoices):
    BUDGET = "budget", "Budget change"
    NO_COST_EXTENSION = "no_cost_extension", "No-cost extension"
    SCOPE = "scope", "Scope change"
    PERSONNEL = "personnel", "Personnel change"


class ModificationStatus(models.TextChoices):
    DRAFT = "draft", "Prepared, not submitted"
    PENDING = "pending", "Waiting for the grant manager"
    RECORDED = "recorded", "Recorded (within the threshold: no approval needed)"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"


class Modification(models.Model):
    """A Grant Award Modification (GAM)."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="modifications")
    kind = models.CharField(max_length=20, choices=ModificationKind.choices)
    status = models.CharField(max_length=20, choices=ModificationStatus.choices, default=ModificationStatus.DRAFT)
    description = models.TextField()
    new_end = models.DateField(null=True, blank=True, help_text="No-cost extension: the new end date.")
    moves = models.JSONField(default=list, blank=True, help_text='Budget change: [{"from", "to", "amount"}].')
    moved_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    # A partner leaves an award only this way (DOJ: the recipient's partners change through a GAM): the partner stays
    # on the award case until BJA approves the scope change, and leaves it in the same transaction.
    partner_leaving = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Scope change: the partner organization that leaves the award when BJA approves.",
    )
    cumulative_percent = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(moved_amount__gte=0), name="modification_moved_not_negative"),
            models.CheckConstraint(
                condition=~Q(kind="no_cost_extension") | Q(new_end__isnull=False),
                name="modification_extension_has_end",
            ),
            models.CheckConstraint(
                condition=Q(partner_leaving__isnull=True) | Q(kind="scope"),
                name="modification_partner_leaves_by_scope_change",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class MatchReport(models.Model):
    """Match (cost share) the grantee reports as spent in one project year."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="match_reports")
    year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["award", "year", "reported_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="match_report_amount_positive"),
            models.CheckConstraint(condition=Q(year__gte=1), name="match_report_year_from_one"),
        ]

    def __str__(self) -> str:
        return f"Year {self.year}: {self.amount}"
