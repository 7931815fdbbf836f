"""A solicitation (one program, one fiscal year), its categories and its peer review criteria.

Everything that changes from one fiscal year to the next (deadlines, ceilings, the period of
performance, the match schedule, who may lead, which documents are required) is a field here.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from accounts.models import TIME_ZONE_CHOICES, Membership, Organization, OrganizationKind, Role


class Program(models.TextChoices):
    JMHCP = "jmhcp", "Justice and Mental Health Collaboration Program (JMHCP)"
    CONNECT_AND_PROTECT = "connect_and_protect", "Connect and Protect: Law Enforcement Behavioral Health Response"


class DocumentKind(models.TextChoices):
    """What an application's attachments are; `Document.kind` holds one of these slugs.

    The slugs read as words because the generic document list shows a slug it does not know as words.
    """

    PROGRAM_NARRATIVE = "program_narrative", "Program narrative"
    BUDGET_WORKSHEET = "budget_detail_worksheet", "Budget detail worksheet"
    BUDGET_NARRATIVE = "budget_narrative", "Budget narrative"
    MOU = "memorandum_or_letter_of_intent", "MOU or letter of intent"
    TIMELINE = "timeline_and_goals", "Timeline and goals"
    LETTERS_OF_SUPPORT = "letters_of_support", "Letters of support"
    OTHER = "other_attachment", "Other attachment"


def default_required_documents() -> list[str]:
    return [kind for kind in DocumentKind.values if kind != DocumentKind.OTHER]


def default_lead_kinds() -> list[str]:
    # Units of local government and law enforcement agencies lead; the mental health agency co-applies.
    return [OrganizationKind.LAW_ENFORCEMENT, OrganizationKind.GOVERNMENT]


class SolicitationQuerySet(models.QuerySet):
    def visible_to(self, user) -> SolicitationQuerySet:
        """Published solicitations for everyone signed in; drafts only for the issuing agency's members."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        own = Membership.objects.active().filter(user=user).values("organization_id")
        return self.filter(Q(published_at__isnull=False) | Q(agency__in=own))

    def managed_by(self, user) -> SolicitationQuerySet:
        """Solicitations the user may change: they are a grant manager of the issuing agency."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        managers = Membership.objects.active().filter(user=user, role=Role.GRANT_MANAGER)
        return self.filter(agency__in=managers.values("organization_id"))


class Solicitation(models.Model):
    agency = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="solicitations", help_text="The issuing federal agency."
    )
    program = models.CharField(max_length=40, choices=Program.choices)
    fiscal_year = models.PositiveSmallIntegerField()
    number = models.CharField(max_length=40, unique=True, help_text="E.g. O-BJA-2027-172345.")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    time_zone = models.CharField(
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default="America/New_York",
        help_text="Deadlines are stated and enforced in this time zone.",
    )
    grants_gov_deadline = models.DateTimeField(help_text="Step 1: SF-424 and SF-LLL in Grants.gov.")
    justgrants_deadline = models.DateTimeField(help_text="Step 2: the full application in JustGrants.")
    earliest_project_start = models.DateField(null=True, blank=True)
    eligible_lead_kinds = models.JSONField(default=default_lead_kinds)
    required_document_kinds = models.JSONField(default=default_required_documents)
    review_period_days = models.PositiveSmallIntegerField(
        default=14, help_text="Days a peer reviewer has for a review, from assignment."
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SolicitationQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "justgrants_deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(justgrants_deadline__gte=F("grants_gov_deadline")),
                name="solicitation_justgrants_after_grants_gov",
                violation_error_message="The JustGrants deadline cannot be before the Grants.gov deadline.",
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2000, fiscal_year__lte=2100), name="solicitation_fiscal_year_range"
            ),
        ]
        indexes = [models.Index(fields=["published_at", "justgrants_deadline"], name="solicitation_open_idx")]

    def __str__(self) -> str:
        return _prefixed(f"FY{self.fiscal_year}", self.title)

    def get_absolute_url(self) -> str:
        return reverse("grants-solicitation", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Category(models.Model):
    solicitation = models.ForeignKey(Solicitation, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(max_length=20, help_text="E.g. 1, 2a.")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    award_ceiling = models.DecimalField(max_digits=12, decimal_places=2)
    period_months = models.PositiveSmallIntegerField(help_text="Period of performance in months.")
    match_schedule = models.JSONField(
        default=list,
        blank=True,
        help_text="Minimum match (cost share) per project year, percent of the year's total cost: [20, 20, 40].",
    )
    planning_required = models.BooleanField(default=False)
    planning_cap = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    planning_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Months after budget approval to finish the planning phase."
    )

    class Meta:
        ordering = ["solicitation", "code"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["solicitation", "code"], name="category_code_per_solicitation"),
            models.CheckConstraint(condition=Q(award_ceiling__gt=0), name="category_ceiling_positive"),
            models.CheckConstraint(
                condition=Q(period_months__gte=1, period_months__lte=120), name="category_period_range"
            ),
            models.CheckConstraint(
                condition=Q(planning_required=False) | Q(planning_cap__isnull=False, planning_months__isnull=False),
                name="category_planning_has_cap_and_months",
                violation_error_message="A required planning phase needs its spending cap and months.",
            ),
        ]

    def __str__(self) -> str:
        return _prefixed(f"Category {self.code}:", self.title)

    def match_percent(self, year: int) -> Decimal:
        """Minimum match for project year `year` (1-based); a schedule shorter than the project repeats its last."""
        if not self.match_schedule:
            return Decimal(0)
        return Decimal(str(self.match_schedule[min(year, len(self.match_schedule)) - 1]))

    @property
    def match_schedule_text(self) -> str:
        return " / ".join(f"{percent}%" for percent in self.match_schedule) or "none"


class Criterion(models.Model):
    """A peer review criterion. A reviewer scores it from 0 to its weight; a solicitation's weights add up to 100."""

    solicitation = models.ForeignKey(Solicitation, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["solicitation", "order"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["solicitation", "order"], name="criterion_order_per_solicitation"),
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=100), name="criterion_weight_range"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.weight})"


def _prefixed(prefix: str, title: str) -> str:
    """`prefix title`, unless whoever wrote the title already began it so ("FY2028 JMHCP", "Category 1: …")."""
    if title.casefold().startswith(prefix.casefold()) or title.casefold().startswith(prefix.rstrip(":").casefold()):
        return title
    return f"{prefix} {title}"
