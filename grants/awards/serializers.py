"""Serializers of the post-award API: what is read, and the small bodies the actions take."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Organization, User
from config.phi import GuardedSerializerMixin
from grants.awards import selectors
from grants.models import Award, MatchReport, Modification, ModificationKind, Report
from workflow.serializers import CASE_FIELDS, CaseFieldsSerializer, replaced_by


class ComplianceSerializer(GuardedSerializerMixin, serializers.Serializer):
    today = serializers.DateField()
    acceptance_open = serializers.BooleanField()
    acceptance_days_left = serializers.IntegerField()
    acceptance_overdue = serializers.BooleanField()
    suspended = serializers.SerializerMethodField()
    locked = serializers.SerializerMethodField()
    overdue_reports = serializers.SerializerMethodField()
    closeout_open = serializers.BooleanField()
    closeout_days_left = serializers.IntegerField()
    closeout_overdue = serializers.BooleanField()
    flags = serializers.ListField(child=serializers.CharField())

    def get_suspended(self, status) -> bool:
        return bool(status.suspended)

    def get_locked(self, status) -> bool:
        return bool(status.locked)

    def get_overdue_reports(self, status) -> int:
        return len(status.overdue)


class AwardSerializer(GuardedSerializerMixin, CaseFieldsSerializer, serializers.ModelSerializer):
    lead = serializers.CharField(
        source="case.organization.name", read_only=True, help_text=replaced_by("organization_name")
    )
    # A role nobody holds yet is null.
    authorized_representative = serializers.EmailField(
        source="authorized_representative.email", default=None, allow_null=True
    )
    award_administrator = serializers.EmailField(source="award_administrator.email", default=None, allow_null=True)
    alternate_administrator = serializers.EmailField(
        source="alternate_administrator.email", default=None, allow_null=True
    )
    financial_manager = serializers.EmailField(source="financial_manager.email", default=None, allow_null=True)
    grant_manager = serializers.EmailField(source="grant_manager.email", default=None, allow_null=True)
    compliance = serializers.SerializerMethodField()

    class Meta:
        model = Award
        fields = [
            "id", *CASE_FIELDS, "number", "lead", "amount", "awarded_on", "start", "end", "original_end",
            "special_conditions", "acceptance_due", "closeout_due", "planning_spent", "authorized_representative",
            "award_administrator", "alternate_administrator", "financial_manager", "grant_manager", "accepted_at",
            "declined_at", "compliance",
        ]  # fmt: skip

    def get_compliance(self, award) -> dict:
        return ComplianceSerializer(selectors.award_compliance(award)).data


class ReportSerializer(GuardedSerializerMixin, serializers.ModelSerializer):
    award = serializers.IntegerField(source="award_id", read_only=True)
    title = serializers.CharField(source="milestone.title", read_only=True)
    status = serializers.CharField(source="milestone.status", read_only=True)
    drafted_by = serializers.EmailField(source="drafted_by.email", default=None, allow_null=True)  # Null until drafted.

    class Meta:
        model = Report
        fields = [
            "id", "award", "kind", "title", "period_start", "period_end", "due_date", "status", "text",
            "drafted_by", "drafted_at", "first_submitted_on",
        ]  # fmt: skip


class CalendarSerializer(ReportSerializer):
    award_number = serializers.CharField(source="award.number", read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "award_number"]


class ModificationSerializer(GuardedSerializerMixin, serializers.ModelSerializer):
    award = serializers.IntegerField(source="award_id", read_only=True)

    class Meta:
        model = Modification
        fields = [
            "id", "award", "kind", "status", "description", "new_end", "moves", "moved_amount", "cumulative_percent",
            "partner_leaving", "submitted_at", "decided_at", "decision_comment",
        ]  # fmt: skip


class MatchReportSerializer(GuardedSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = MatchReport
        fields = ["id", "year", "amount", "note", "reported_at"]


class MatchWriteSerializer(GuardedSerializerMixin, serializers.Serializer):
    year = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ModificationWriteSerializer(GuardedSerializerMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=ModificationKind.choices)
    description = serializers.CharField()
    new_end = serializers.DateField(required=False, allow_null=True, default=None)
    moves = serializers.ListField(child=serializers.DictField(), required=False, default=list)
    partner_leaving = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Scope change: the partner organization that leaves the award when BJA approves it.",
    )
    submit = serializers.BooleanField(required=False, default=False)


class DecisionWriteSerializer(GuardedSerializerMixin, serializers.Serializer):
    approve = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class TextSerializer(GuardedSerializerMixin, serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="")


class CommentSerializer(GuardedSerializerMixin, serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(GuardedSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    confirm = serializers.BooleanField(required=False, default=False, help_text="Declining is final: send true.")


class AmountSerializer(GuardedSerializerMixin, serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class RolesSerializer(serializers.Serializer):
    authorized_representative = serializers.EmailField(required=False)
    award_administrator = serializers.EmailField(required=False)
    alternate_administrator = serializers.EmailField(required=False, allow_null=True)
    financial_manager = serializers.EmailField(required=False, allow_null=True)

    def users(self) -> dict:
        found = {}
        for name, email in self.validated_data.items():
            if email is None:
                found[name] = None
                continue
            user = User.objects.filter(email__iexact=email, is_active=True).first()
            if user is None:
                raise serializers.ValidationError({name: ["No active user with this email."]})
            found[name] = user
        return found
