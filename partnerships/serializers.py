"""API shapes of partnerships, agreements, assessments, Learning Sites and TA requests. They only parse and show."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Organization
from config.phi import GuardedSerializerMixin
from partnerships.choices import AgreementKind, Answer, DeliveryType, MemberRole, ResponseModel, TATopic
from partnerships.models import (
    Agreement,
    AgreementParty,
    Assessment,
    LearningSiteProfile,
    Partnership,
    PartnershipMember,
    TADelivery,
    TARequest,
)
from partnerships.selectors.partnerships import local_today
from workflow.models import Case
from workflow.serializers import CASE_FIELDS, CaseFieldsSerializer, replaced_by

ORGANIZATIONS = Organization.objects.filter(is_active=True)


class PartnershipMemberSerializer(GuardedSerializerMixin, serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    organization_kind = serializers.CharField(source="organization.kind", read_only=True)

    class Meta:
        model = PartnershipMember
        fields = ["organization", "organization_name", "organization_kind", "role", "responsibilities", "joined_at"]
        read_only_fields = ["joined_at"]


class PartnershipMemberInputSerializer(GuardedSerializerMixin, serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=ORGANIZATIONS)
    role = serializers.ChoiceField(choices=[c for c in MemberRole.choices if c[0] != MemberRole.LEAD_AGENCY])
    responsibilities = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class MemberOrganizationSerializer(serializers.Serializer):
    """Which member to remove or add back."""

    organization = serializers.PrimaryKeyRelatedField(queryset=ORGANIZATIONS)


class MemberRemoveSerializer(GuardedSerializerMixin, MemberOrganizationSerializer):
    reason = serializers.CharField(max_length=2000, help_text="Why it is removed: kept in the timeline.")


class PartnershipSerializer(CaseFieldsSerializer, serializers.ModelSerializer):
    lead = serializers.IntegerField(
        source="case.organization_id", read_only=True, help_text=replaced_by("organization")
    )
    lead_name = serializers.CharField(
        source="case.organization.name", read_only=True, help_text=replaced_by("organization_name")
    )
    members = PartnershipMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Partnership
        fields = [
            "id",
            *CASE_FIELDS,
            "lead",
            "lead_name",
            "members",
            "response_models",
            "jurisdiction",
            "population_served",
            "description",
            "award",
            "created_at",
        ]
        read_only_fields = fields


class PartnershipCreateSerializer(GuardedSerializerMixin, serializers.Serializer):
    title = serializers.CharField(max_length=200)
    lead = serializers.PrimaryKeyRelatedField(queryset=ORGANIZATIONS)
    members = PartnershipMemberInputSerializer(many=True)
    jurisdiction = serializers.CharField(max_length=200)
    response_models = serializers.ListField(child=serializers.ChoiceField(choices=ResponseModel.choices), default=list)
    population_served = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    award = serializers.PrimaryKeyRelatedField(
        queryset=Case.objects.filter(kind="award"), required=False, allow_null=True
    )


class PartnershipUpdateSerializer(GuardedSerializerMixin, serializers.Serializer):
    response_models = serializers.ListField(
        child=serializers.ChoiceField(choices=ResponseModel.choices), required=False
    )
    jurisdiction = serializers.CharField(max_length=200, required=False)
    population_served = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class AgreementPartySerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = AgreementParty
        fields = ["organization", "organization_name", "signed_on", "signed_by", "recorded_at"]
        read_only_fields = fields


class AgreementSerializer(serializers.ModelSerializer):
    parties = AgreementPartySerializer(many=True, read_only=True)
    status = serializers.SerializerMethodField()
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "partnership",
            "kind",
            "title",
            "effective_date",
            "expiry_date",
            "status",
            "parties",
            "document",
            "document_url",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_status(self, agreement: Agreement) -> str:
        """In the lead agency's calendar: that is where "expires today" is decided."""
        return agreement.status(self.context.get("today") or local_today(agreement.partnership.case.organization))

    def get_document_url(self, agreement: Agreement) -> str | None:
        return f"/api/v1/documents/{agreement.document_id}/download/" if agreement.document_id else None


class AgreementCreateSerializer(GuardedSerializerMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=AgreementKind.choices)
    title = serializers.CharField(max_length=200)
    parties = serializers.PrimaryKeyRelatedField(queryset=ORGANIZATIONS, many=True)
    effective_date = serializers.DateField()
    expiry_date = serializers.DateField(required=False, allow_null=True, default=None)
    file = serializers.FileField(required=False, allow_empty_file=True)


class AgreementSignSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=ORGANIZATIONS)
    signed_on = serializers.DateField(required=False, allow_null=True, default=None)


class AssessmentSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    checklist = serializers.CharField(source="template.key", read_only=True)
    checklist_title = serializers.CharField(source="template.title", read_only=True)
    checklist_version = serializers.IntegerField(source="template.version", read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "partnership",
            "organization",
            "organization_name",
            "checklist",
            "checklist_title",
            "checklist_version",
            "status",
            "score",
            "previous",
            "started_by",
            "started_at",
            "submitted_by",
            "submitted_at",
        ]
        read_only_fields = fields


class AssessmentStartSerializer(GuardedSerializerMixin, serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=ORGANIZATIONS)
    checklist = serializers.CharField(required=False, max_length=60)


class AgreementTitleSerializer(GuardedSerializerMixin, serializers.Serializer):
    title = serializers.CharField(max_length=200)


class NoteCorrectionSerializer(GuardedSerializerMixin, serializers.Serializer):
    item = serializers.IntegerField()
    note = serializers.CharField(allow_blank=True, max_length=2000)


class AnswerInputSerializer(GuardedSerializerMixin, serializers.Serializer):
    item = serializers.IntegerField()
    answer = serializers.ChoiceField(choices=[("", "Unanswered"), *Answer.choices], required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AnswersSerializer(serializers.Serializer):
    answers = AnswerInputSerializer(many=True, required=False, default=list)

    def as_dict(self) -> dict[int, dict]:
        return {row["item"]: {k: v for k, v in row.items() if k != "item"} for row in self.validated_data["answers"]}


class GapPlanSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class GapTaskSerializer(GapPlanSerializer):
    assignee = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="A user id; leave out for the whole organization."
    )


class LearningSiteSerializer(serializers.ModelSerializer):
    response_models = serializers.SerializerMethodField()
    topics = serializers.SerializerMethodField()
    capacity_per_quarter = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    matched_this_quarter = serializers.IntegerField(read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "state",
            "jurisdiction",
            "response_models",
            "topics",
            "capacity_per_quarter",
            "matched_this_quarter",
            "summary",
        ]
        read_only_fields = fields

    def _profile(self, organization) -> LearningSiteProfile | None:
        return getattr(organization, "learning_site_profile", None)

    def get_response_models(self, organization) -> list[str]:
        return self._profile(organization).response_models if self._profile(organization) else []

    def get_topics(self, organization) -> list[str]:
        return self._profile(organization).topics if self._profile(organization) else []

    def get_capacity_per_quarter(self, organization) -> int | None:
        return self._profile(organization).capacity_per_quarter if self._profile(organization) else None

    def get_summary(self, organization) -> str:
        return self._profile(organization).summary if self._profile(organization) else ""


class LearningSiteProfileInputSerializer(GuardedSerializerMixin, serializers.Serializer):
    response_models = serializers.ListField(child=serializers.ChoiceField(choices=ResponseModel.choices), default=list)
    topics = serializers.ListField(child=serializers.ChoiceField(choices=TATopic.choices), default=list)
    capacity_per_quarter = serializers.IntegerField()
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class TARequestSerializer(CaseFieldsSerializer, serializers.ModelSerializer):
    received_at = serializers.DateTimeField(source="case.opened_at", read_only=True)

    class Meta:
        model = TARequest
        fields = [
            "id",
            *CASE_FIELDS,
            "topic",
            "preferred_delivery",
            "preferred_site",
            "description",
            "received_at",
            "acknowledge_due_at",
            "acknowledged_at",
            "match_due_at",
            "matched_at",
            "matched_site",
            "scheduled_for",
        ]
        read_only_fields = fields


class TARequestCreateSerializer(GuardedSerializerMixin, serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=ORGANIZATIONS)
    topic = serializers.ChoiceField(choices=TATopic.choices)
    preferred_delivery = serializers.ChoiceField(choices=DeliveryType.choices)
    preferred_site = serializers.PrimaryKeyRelatedField(queryset=ORGANIZATIONS, required=False, allow_null=True)
    description = serializers.CharField(max_length=4000)


class MatchSerializer(GuardedSerializerMixin, serializers.Serializer):
    site = serializers.PrimaryKeyRelatedField(queryset=ORGANIZATIONS)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ScheduleSerializer(GuardedSerializerMixin, serializers.Serializer):
    on = serializers.DateField()
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class TADeliverySerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True)

    class Meta:
        model = TADelivery
        fields = [
            "id",
            "ta_request",
            "delivered_on",
            "delivery_type",
            "site",
            "site_name",
            "attendees",
            "hours",
            "note",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class TADeliveryInputSerializer(GuardedSerializerMixin, serializers.Serializer):
    delivered_on = serializers.DateField()
    delivery_type = serializers.ChoiceField(choices=DeliveryType.choices)
    # Not bounded here: the service refuses a negative count with the rule's own words.
    attendees = serializers.IntegerField(required=False, allow_null=True, default=None)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    site = serializers.PrimaryKeyRelatedField(queryset=ORGANIZATIONS, required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReportRowSerializer(GuardedSerializerMixin, serializers.Serializer):
    site = serializers.CharField()
    site_id = serializers.IntegerField(allow_null=True)
    requests_received = serializers.IntegerField()
    site_visits = serializers.IntegerField()
    trainings = serializers.IntegerField()
    attendees_trained = serializers.IntegerField()
    median_hours_to_acknowledge = serializers.FloatField(allow_null=True)
    median_days_to_match = serializers.FloatField(allow_null=True)


class AnnualReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    rows = ReportRowSerializer(many=True)
    total = ReportRowSerializer()
