"""What the generic case endpoints read and write: serializers, and the rows of the hot lists (config/rows.py).

Other apps reuse these (a grant's documents, a partnership's milestones); they import this module, never a view.
"""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Organization
from config.phi import GuardedSerializerMixin
from config.rows import Rows, computed, grouped, moment, person
from workflow.access import GRANT_ACTIONS
from workflow.machines import registry
from workflow.models import Case, Document, Event, Milestone, Participant, Visibility


class ParticipantSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    organization_kind = serializers.CharField(source="organization.kind", read_only=True)

    class Meta:
        model = Participant
        fields = ["organization", "organization_name", "organization_kind", "role"]


class CaseSerializer(GuardedSerializerMixin, serializers.ModelSerializer):
    stage_label = serializers.CharField(read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    participants = ParticipantSerializer(source="participations", many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "kind",
            "title",
            "stage",
            "stage_label",
            "organization",
            "organization_name",
            "version",
            "opened_at",
            "closed_at",
            "participants",
        ]


class CaseFieldsSerializer(serializers.Serializer):
    """The fields of its case that every case-backed answer (application, award, partnership, TA request) shows,
    under the names the case endpoints use. A subclass lists them first with ``*CASE_FIELDS``."""

    case = serializers.IntegerField(source="case_id", read_only=True)
    title = serializers.CharField(source="case.title", read_only=True)
    stage = serializers.CharField(source="case.stage", read_only=True)
    stage_label = serializers.CharField(source="case.stage_label", read_only=True)
    version = serializers.IntegerField(source="case.version", read_only=True)
    organization = serializers.IntegerField(
        source="case.organization_id", read_only=True, help_text="The organization that leads the case."
    )
    organization_name = serializers.CharField(source="case.organization.name", read_only=True)


CASE_FIELDS = ["case", "title", "stage", "stage_label", "version", "organization", "organization_name"]


def replaced_by(name: str) -> str:
    """The help text of a field kept under its old name for clients written before CASE_FIELDS."""
    return f"Deprecated: the same as `{name}`, which replaces it."


class TransitionRequestSerializer(GuardedSerializerMixin, serializers.Serializer):
    name = serializers.CharField(max_length=60)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    expected_version = serializers.IntegerField(required=False, min_value=1)
    # Irreversible transitions (those that declare `confirm`) need true here; the service says so otherwise.
    confirm = serializers.BooleanField(required=False, default=False)


class AvailableTransitionSerializer(GuardedSerializerMixin, serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    target = serializers.CharField()
    target_label = serializers.CharField()
    allowed = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    comment_required = serializers.BooleanField(help_text="A comment (the reason) must come with it.")
    confirm = serializers.CharField(
        allow_null=True, help_text='What cannot be undone; when set, the request needs "confirm": true.'
    )


class EventSerializer(GuardedSerializerMixin, serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = ["id", "verb", "actor", "actor_name", "data", "created_at"]

    def get_actor_name(self, event: Event) -> str | None:
        return str(event.actor) if event.actor_id else None


class SignoffSerializer(GuardedSerializerMixin, serializers.Serializer):
    organization = serializers.IntegerField(source="organization_id")
    organization_name = serializers.CharField(source="organization.name")
    user = serializers.IntegerField(source="user_id")
    signed_at = serializers.DateTimeField()


class MilestoneSerializer(serializers.ModelSerializer):
    template_key = serializers.CharField(source="template.key", default=None, allow_null=True, read_only=True)
    signoffs = SignoffSerializer(many=True, read_only=True)

    class Meta:
        model = Milestone
        fields = [
            "id",
            "case",
            "template_key",
            "order",
            "title",
            "guidance",
            "required",
            "needs_bja_approval",
            "joint",
            "due_date",
            "status",
            "note",
            "reviewer_comment",
            "submitted_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "signoffs",
        ]
        read_only_fields = fields


class ChecklistProgressSerializer(GuardedSerializerMixin, serializers.Serializer):
    template_key = serializers.CharField(allow_null=True, help_text="Null for milestones of no checklist (a gap plan).")
    title = serializers.CharField()
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()


class CaseMilestonesSerializer(serializers.Serializer):
    """A case's checklists: progress per checklist, and every milestone (a case has tens, never a page's worth)."""

    progress = ChecklistProgressSerializer(many=True)
    results = MilestoneSerializer(many=True)


class MilestoneActionSerializer(GuardedSerializerMixin, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class DocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "case",
            "milestone",
            "kind",
            "original_name",
            "size",
            "sha256",
            "content_type",
            "visibility",
            "organization",
            "uploaded_by",
            "uploaded_at",
            "download_url",
            "withdrawn_at",
            "withdrawal_reason",
            "replaced_by",
            "redacted_at",
        ]
        read_only_fields = fields

    def get_download_url(self, document: Document) -> str:
        return f"/api/v1/documents/{document.pk}/download/"


class DocumentUploadSerializer(GuardedSerializerMixin, serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    kind = serializers.SlugField(max_length=40, default="other")
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.ALL)
    milestone = serializers.IntegerField(required=False)


class DocumentWithdrawSerializer(GuardedSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class DocumentRedactSerializer(GuardedSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text="Why; shown in the timeline."
    )


class RedactionSerializer(GuardedSerializerMixin, serializers.Serializer):
    """What site staff redact: one registered text (``workflow.redactions.redactables``) of one object on the case."""

    target = serializers.SlugField(max_length=40, help_text="What the text is on: milestone, task, agreement…")
    id = serializers.IntegerField(min_value=1, help_text="The object's id (the case's own id for its title).")
    field = serializers.SlugField(max_length=40, help_text="Which of its texts: note, title, description…")
    reason = serializers.CharField(max_length=2000, help_text="Why; everyone on the case reads it in the timeline.")


class RedactionResultSerializer(serializers.Serializer):
    """The answer of a redaction (output only)."""

    target = serializers.CharField(read_only=True)
    id = serializers.IntegerField(read_only=True)
    field = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True, help_text="What the text now reads: the marker.")
    event = serializers.IntegerField(read_only=True, help_text="The `<target>.redacted` event on the timeline.")


class DocumentReplaceSerializer(GuardedSerializerMixin, serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ParticipantChangeSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())


class ParticipantRemoveSerializer(GuardedSerializerMixin, ParticipantChangeSerializer):
    reason = serializers.CharField(max_length=2000, help_text="Why it is removed: kept in the timeline.")


class GrantSerializer(serializers.Serializer):
    email = serializers.EmailField()
    permission = serializers.ChoiceField(choices=sorted(GRANT_ACTIONS))


def _stage_label(kind: str, stage: str) -> str:
    return registry.get(kind).stage(stage).label


# CaseSerializer's and EventSerializer's fields, read with values() for lists (config/rows.py).
CASE_ROWS = Rows(
    id="id", kind="kind", title="title", stage="stage", stage_label=computed("kind", "stage", value=_stage_label),
    organization="organization_id", organization_name="organization__name", version="version",
    opened_at=moment("opened_at"), closed_at=moment("closed_at"),
)  # fmt: skip
PARTICIPANT_ROWS = Rows(
    organization="organization_id", organization_name="organization__name", organization_kind="organization__kind",
    role="role",
)  # fmt: skip
EVENT_ROWS = Rows(
    id="id", verb="verb", actor="actor_id", actor_name=person("actor"), data="data", created_at=moment("created_at")
)


def case_rows(page: list[dict]) -> list[dict]:
    """A page of CASE_ROWS values as CaseSerializer would write it, with the participants in one more query."""
    rows = CASE_ROWS.render(page)
    found = list(
        Participant.objects.filter(case_id__in=[row["id"] for row in rows])
        .order_by("case_id", "added_at", "id")  # "case" would order by the case's own ordering: a join.
        .values("case_id", *PARTICIPANT_ROWS.lookups)
    )
    participants = grouped(zip([row["case_id"] for row in found], PARTICIPANT_ROWS.render(found), strict=True))
    for row in rows:
        row["participants"] = participants.get(row["id"], [])
    return rows
