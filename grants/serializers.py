"""API shapes of the grants app. They parse and present; the services decide."""

from __future__ import annotations

from rest_framework import serializers

from config.phi import GuardedSerializerMixin
from grants.models import (
    Application,
    BudgetYear,
    Category,
    Criterion,
    Decision,
    DocumentKind,
    Outcome,
    Program,
    ReviewAssignment,
    ReviewScore,
    Solicitation,
)
from grants.rules import LEAD_KIND_CHOICES, deadline_text
from grants.selectors import application_next_deadline
from workflow.serializers import CASE_FIELDS, CaseFieldsSerializer, ParticipantSerializer, replaced_by

MONEY = {"max_digits": 12, "decimal_places": 2}


class WallClockDateTimeField(serializers.DateTimeField):
    """A deadline without an offset stays naive here: the service reads it in the solicitation's time zone."""

    def enforce_timezone(self, value):
        return value


class CategorySerializer(GuardedSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = [
            "id",
            "code",
            "title",
            "description",
            "award_ceiling",
            "period_months",
            "match_schedule",
            "planning_required",
            "planning_cap",
            "planning_months",
        ]
        read_only_fields = ["id"]
        # Uniqueness is the service's to answer (409 with the code), not a serializer's 400.
        validators: list = []

    match_schedule = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=99), max_length=10)


class CriterionSerializer(GuardedSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "order", "title", "description", "weight"]
        read_only_fields = ["id", "order"]


class SolicitationSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    grants_gov_deadline_text = serializers.SerializerMethodField()
    justgrants_deadline_text = serializers.SerializerMethodField()
    categories = CategorySerializer(many=True, read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Solicitation
        fields = [
            "id",
            "agency",
            "agency_name",
            "program",
            "fiscal_year",
            "number",
            "title",
            "summary",
            "time_zone",
            "grants_gov_deadline",
            "grants_gov_deadline_text",
            "justgrants_deadline",
            "justgrants_deadline_text",
            "earliest_project_start",
            "eligible_lead_kinds",
            "required_document_kinds",
            "review_period_days",
            "published_at",
            "categories",
            "criteria",
        ]
        read_only_fields = fields

    def get_grants_gov_deadline_text(self, solicitation: Solicitation) -> str:
        return deadline_text(solicitation.grants_gov_deadline, solicitation.time_zone)

    def get_justgrants_deadline_text(self, solicitation: Solicitation) -> str:
        return deadline_text(solicitation.justgrants_deadline, solicitation.time_zone)


class SolicitationWriteSerializer(GuardedSerializerMixin, serializers.Serializer):
    agency = serializers.IntegerField(required=False, help_text="The federal agency; defaults to your own.")
    program = serializers.ChoiceField(choices=Program.choices)
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)
    number = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True)
    time_zone = serializers.CharField(max_length=64, required=False)
    grants_gov_deadline = WallClockDateTimeField(help_text="Without an offset: in the solicitation's time zone.")
    justgrants_deadline = WallClockDateTimeField(help_text="Without an offset: in the solicitation's time zone.")
    earliest_project_start = serializers.DateField(required=False, allow_null=True)
    eligible_lead_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=LEAD_KIND_CHOICES), required=False
    )
    required_document_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=DocumentKind.choices), required=False
    )
    review_period_days = serializers.IntegerField(min_value=1, max_value=90, required=False)


class CriterionWriteSerializer(GuardedSerializerMixin, serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    weight = serializers.IntegerField()


class BudgetYearSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetYear
        fields = ["year", "federal_amount", "match_amount"]


class ApplicationSerializer(CaseFieldsSerializer, serializers.ModelSerializer):
    lead_organization = serializers.IntegerField(
        source="case.organization_id", read_only=True, help_text=replaced_by("organization")
    )
    lead_organization_name = serializers.CharField(
        source="case.organization.name", read_only=True, help_text=replaced_by("organization_name")
    )
    category_code = serializers.CharField(source="category.code", read_only=True)
    next_deadline = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            *CASE_FIELDS,
            "solicitation",
            "category",
            "category_code",
            "lead_organization",
            "lead_organization_name",
            "amount_requested",
            "project_start",
            "project_end",
            "revision",
            "grants_gov_submitted_at",
            "submitted_at",
            "next_deadline",
        ]
        read_only_fields = fields

    def get_next_deadline(self, application: Application) -> dict | None:
        found = application_next_deadline(application)
        return {"step": found[0], "deadline": found[1]} if found else None


class ApplicationDetailSerializer(ApplicationSerializer):
    participants = ParticipantSerializer(source="case.participations", many=True, read_only=True)
    budget = BudgetYearSerializer(source="budget_years", many=True, read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "abstract", "participants", "budget"]
        read_only_fields = fields


class ApplicationCreateSerializer(GuardedSerializerMixin, serializers.Serializer):
    solicitation = serializers.IntegerField()
    organization = serializers.IntegerField(help_text="The lead applicant: your organization.")
    category = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    co_applicants = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class ApplicationUpdateSerializer(GuardedSerializerMixin, serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    category = serializers.IntegerField(required=False)
    abstract = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    amount_requested = serializers.DecimalField(**MONEY, required=False, allow_null=True)
    project_start = serializers.DateField(required=False, allow_null=True)
    project_end = serializers.DateField(required=False, allow_null=True)


class BudgetSerializer(serializers.Serializer):
    years = BudgetYearSerializer(many=True)


class OrganizationRefSerializer(serializers.Serializer):
    organization = serializers.IntegerField()


class CoApplicantRemoveSerializer(GuardedSerializerMixin, OrganizationRefSerializer):
    reason = serializers.CharField(max_length=2000, help_text="Why it is removed: kept in the timeline.")


class AttachmentWithdrawSerializer(GuardedSerializerMixin, serializers.Serializer):
    document = serializers.IntegerField(help_text="The attachment's id (a document on the application's case).")
    reason = serializers.CharField(max_length=2000, help_text="Why it is withdrawn: kept in the timeline.")


class ApplicationUploadSerializer(GuardedSerializerMixin, serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    kind = serializers.CharField(max_length=40)


class RequirementSerializer(GuardedSerializerMixin, serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    done = serializers.BooleanField()
    detail = serializers.CharField()


class ReadinessSerializer(GuardedSerializerMixin, serializers.Serializer):
    ready = serializers.BooleanField()
    content_ready = serializers.BooleanField()
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()
    items = RequirementSerializer(many=True)
    waiting_for = serializers.ListField(child=serializers.CharField())


class SubmitSerializer(GuardedSerializerMixin, serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    expected_version = serializers.IntegerField(required=False, min_value=1)


class CompletenessSerializer(GuardedSerializerMixin, serializers.Serializer):
    complete = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField(max_length=500), required=False, default=list)


class AssignSerializer(serializers.Serializer):
    reviewer = serializers.EmailField()
    due_date = serializers.DateField(required=False, allow_null=True)


class DeclarationSerializer(GuardedSerializerMixin, serializers.Serializer):
    no_conflict = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ScoreInputSerializer(GuardedSerializerMixin, serializers.Serializer):
    score = serializers.CharField(max_length=20)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ReviewInputSerializer(GuardedSerializerMixin, serializers.Serializer):
    scores = serializers.DictField(child=ScoreInputSerializer(), help_text="Criterion id -> score and comment.")
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class DraftScoreInputSerializer(GuardedSerializerMixin, serializers.Serializer):
    score = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ReviewDraftInputSerializer(GuardedSerializerMixin, serializers.Serializer):
    scores = serializers.DictField(
        child=DraftScoreInputSerializer(), required=False, default=dict, help_text="Criterion id -> score and comment."
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ReviewerRemoveSerializer(GuardedSerializerMixin, serializers.Serializer):
    reviewer = serializers.EmailField()
    reason = serializers.CharField(max_length=2000, help_text="Why they no longer review it: kept for BJA.")


class ScoreSerializer(GuardedSerializerMixin, serializers.ModelSerializer):
    criterion_title = serializers.CharField(source="criterion.title", read_only=True)
    weight = serializers.IntegerField(source="criterion.weight", read_only=True)

    class Meta:
        model = ReviewScore
        fields = ["criterion", "criterion_title", "weight", "score", "comment"]


# Plain text, not an enum: the milestone's "status" enum already owns that name in the schema.
REVIEW_STATUS = serializers.CharField(read_only=True, help_text="assigned, declared, submitted or recused.")


class ReviewSerializer(GuardedSerializerMixin, serializers.ModelSerializer):
    """A review as its reader may see it: another peer reviewer's is "Reviewer 2", with no id (``reviews_visible``)."""

    reviewer = serializers.SerializerMethodField()
    reviewer_name = serializers.SerializerMethodField()
    status = REVIEW_STATUS
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = ReviewAssignment
        fields = [
            "id",
            "application",
            "reviewer",
            "reviewer_name",
            "status",
            "due_date",
            "declared_at",
            "submitted_at",
            "total",
            "comment",
            "scores",
        ]

    def get_reviewer(self, review: ReviewAssignment) -> int | None:
        return None if getattr(review, "reviewer_hidden", False) else review.reviewer_id

    def get_reviewer_name(self, review: ReviewAssignment) -> str:
        return review.reviewer_label if getattr(review, "reviewer_hidden", False) else str(review.reviewer)


class AssignmentSerializer(serializers.ModelSerializer):
    application_title = serializers.CharField(source="application.case.title", read_only=True)
    solicitation = serializers.IntegerField(source="application.solicitation_id", read_only=True)
    stage = serializers.CharField(source="application.case.stage", read_only=True)
    status = REVIEW_STATUS

    class Meta:
        model = ReviewAssignment
        fields = ["id", "application", "application_title", "solicitation", "stage", "status", "due_date", "total"]


class DecisionInputSerializer(GuardedSerializerMixin, serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    amount = serializers.DecimalField(**MONEY, required=False, allow_null=True)
    decided_on = serializers.DateField(required=False, allow_null=True)
    conditions = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)


class DecisionSerializer(GuardedSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["outcome", "amount", "decided_on", "conditions", "decided_by", "decided_at"]


class RankedSerializer(GuardedSerializerMixin, serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    application = serializers.IntegerField(source="application.pk")
    title = serializers.CharField(source="application.case.title")
    lead_organization_name = serializers.CharField(source="application.case.organization.name")
    stage = serializers.CharField(source="application.case.stage")
    amount_requested = serializers.DecimalField(source="application.amount_requested", **MONEY)
    average = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    spread = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    submitted = serializers.IntegerField()
    expected = serializers.IntegerField()


class StageCountSerializer(GuardedSerializerMixin, serializers.Serializer):
    stage = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class ReviewerProgressSerializer(GuardedSerializerMixin, serializers.Serializer):
    reviewer = serializers.CharField()
    email = serializers.EmailField()
    assigned = serializers.IntegerField()
    declared = serializers.IntegerField()
    submitted = serializers.IntegerField()
    recused = serializers.IntegerField()
    overdue = serializers.IntegerField()
    next_due = serializers.DateField(allow_null=True)


class CriterionAverageSerializer(GuardedSerializerMixin, serializers.Serializer):
    criterion = serializers.IntegerField()
    title = serializers.CharField()
    weight = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)


class SummarySerializer(serializers.Serializer):
    submitted = serializers.IntegerField()
    expected = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    spread = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    low = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    high = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    criteria = CriterionAverageSerializer(many=True)
