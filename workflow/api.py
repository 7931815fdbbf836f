"""Generic case endpoints, usable by every case kind: /api/v1/cases/…, /api/v1/milestones/…, /api/v1/documents/…"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.models import User
from config.errors import NotFound
from config.rows import Rows, computed, grouped, moment, person
from workflow import checklists, documents, selectors, services
from workflow.access import GRANT_ACTIONS, VIEW, case_rights
from workflow.machines import registry
from workflow.models import Case, Document, Event, Milestone, Participant, Visibility


class ParticipantSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    organization_kind = serializers.CharField(source="organization.kind", read_only=True)

    class Meta:
        model = Participant
        fields = ["organization", "organization_name", "organization_kind", "role"]


class CaseSerializer(serializers.ModelSerializer):
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


class TransitionRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    expected_version = serializers.IntegerField(required=False, min_value=1)


class AvailableTransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    target = serializers.CharField()
    target_label = serializers.CharField()
    allowed = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class EventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = ["id", "verb", "actor", "actor_name", "data", "created_at"]

    def get_actor_name(self, event: Event) -> str | None:
        return str(event.actor) if event.actor_id else None


class SignoffSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization_id")
    organization_name = serializers.CharField(source="organization.name")
    user = serializers.IntegerField(source="user_id")
    signed_at = serializers.DateTimeField()


class MilestoneSerializer(serializers.ModelSerializer):
    template_key = serializers.CharField(source="template.key", default=None, read_only=True)
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


class MilestoneActionSerializer(serializers.Serializer):
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
        ]
        read_only_fields = fields

    def get_download_url(self, document: Document) -> str:
        return f"/api/v1/documents/{document.pk}/download/"


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    kind = serializers.SlugField(max_length=40, default="other")
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.ALL)
    milestone = serializers.IntegerField(required=False)


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


def _case_id(value) -> int | None:
    """A case id from the URL, or None when it cannot be one (not a number, or beyond the column's range)."""
    try:
        number = int(value)
        Case._meta.pk.run_validators(number)
    except (TypeError, ValueError, ValidationError):
        return None
    return number


def case_rows(page: list[dict]) -> list[dict]:
    """A page of CASE_ROWS values as CaseSerializer would write it, with the participants in one more query."""
    rows = CASE_ROWS.render(page)
    found = list(
        Participant.objects.filter(case_id__in=[row["id"] for row in rows])
        .order_by("case", "added_at", "id")
        .values("case_id", *PARTICIPANT_ROWS.lookups)
    )
    participants = grouped(zip([row["case_id"] for row in found], PARTICIPANT_ROWS.render(found), strict=True))
    for row in rows:
        row["participants"] = participants.get(row["id"], [])
    return rows


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases of every kind the user may see. Domain endpoints create them; here they move and are inspected."""

    serializer_class = CaseSerializer
    filterset_fields = ["kind", "stage", "organization"]

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.case_list(user=self.request.user).order_by("-opened_at", "-id")
        # Lists read values() (case_rows); the actions below answer with other rows: the case alone is enough.
        return Case.objects.visible_to(self.request.user).order_by("-opened_at", "-id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(CASE_ROWS.values(self.filter_queryset(self.get_queryset())))
        return self.get_paginated_response(case_rows(page))

    @extend_schema(responses=ParticipantSerializer(many=True))
    @action(detail=True)
    def participants(self, request, pk=None):
        case = self.get_object()
        return Response(ParticipantSerializer(case.participations.all(), many=True).data)

    @extend_schema(methods=["GET"], responses=AvailableTransitionSerializer(many=True))
    @extend_schema(methods=["POST"], request=TransitionRequestSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["get", "post"])
    def transitions(self, request, pk=None):
        """GET: what you may fire now (and why a blocked one is blocked). POST: fire one."""
        case = self.get_object()
        if request.method == "GET":
            available = selectors.case_available_transitions(case=case, user=request.user)
            return Response(AvailableTransitionSerializer(available, many=True).data)
        data = TransitionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_transition(case=case, actor=request.user, **data.validated_data)
        return Response(CaseSerializer(selectors.case_get(user=request.user, case_id=case.pk)).data)

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True)
    def timeline(self, request, pk=None):
        # The rights decide what the timeline shows, and without "view" the case is not found: rights come from
        # rows that point at the case, so only a superuser's (which come from no row) need the case looked up.
        case_id = _case_id(pk)
        rights = case_rights(user=request.user, case=case_id) if case_id else set()
        if VIEW not in rights or (request.user.is_superuser and not Case.objects.filter(pk=case_id).exists()):
            raise NotFound("Case not found.")
        events = selectors.case_timeline(case=case_id, user=request.user, rights=rights)
        page = self.paginate_queryset(EVENT_ROWS.values(events))
        return self.get_paginated_response(EVENT_ROWS.render(page))

    @extend_schema(responses=MilestoneSerializer(many=True))
    @action(detail=True)
    def milestones(self, request, pk=None):
        case = self.get_object()
        progress = [
            {"template_key": p.template_key, "title": p.title, "done": p.done, "total": p.total, "percent": p.percent}
            for p in selectors.milestone_progress(case=case)
        ]
        milestones = MilestoneSerializer(selectors.milestone_list(case=case), many=True).data
        return Response({"progress": progress, "results": milestones})

    @extend_schema(methods=["GET"], responses=DocumentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request={"multipart/form-data": DocumentUploadSerializer}, responses=DocumentSerializer
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request, pk=None):
        case = self.get_object()
        if request.method == "GET":
            queryset = Document.objects.visible_to(request.user).filter(case=case).order_by("-uploaded_at", "-id")
            page = self.paginate_queryset(queryset)
            return self.get_paginated_response(DocumentSerializer(page, many=True).data)
        data = DocumentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        milestone = None
        if "milestone" in data.validated_data:
            milestone = Milestone.objects.filter(case=case, pk=data.validated_data["milestone"]).first()
            if milestone is None:
                raise serializers.ValidationError({"milestone": ["No such milestone on this case."]})
        document = documents.document_upload(
            case=case,
            actor=request.user,
            upload=data.validated_data["file"],
            kind=data.validated_data["kind"],
            visibility=data.validated_data["visibility"],
            milestone=milestone,
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=GrantSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def grants(self, request, pk=None):
        """Give one person a right on this case (peer reviewer, consultant, delegate). Needs the manage right."""
        case = self.get_object()
        data = GrantSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = User.objects.filter(email__iexact=data.validated_data["email"], is_active=True).first()
        if user is None:
            raise serializers.ValidationError({"email": ["No active user has this email."]})
        services.case_grant(case=case, user=user, permission=data.validated_data["permission"], actor=request.user)
        return Response(status=status.HTTP_201_CREATED)

    @extend_schema(request=GrantSerializer, responses={204: None})
    @action(detail=True, methods=["post"], url_path="grants/revoke")
    def revoke(self, request, pk=None):
        case = self.get_object()
        data = GrantSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = get_object_or_404(User, email__iexact=data.validated_data["email"])
        services.case_revoke(case=case, user=user, permission=data.validated_data["permission"], actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MilestoneViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One milestone and its actions. Anyone who sees the case sees its milestones."""

    serializer_class = MilestoneSerializer

    def get_queryset(self):
        cases = Case.objects.visible_to(self.request.user, VIEW).values("id")
        return (
            Milestone.objects.filter(case__in=cases)
            .select_related("template")
            .prefetch_related("signoffs__organization")
        )

    def _act(self, service, **kwargs):
        milestone = self.get_object()
        checklists.milestone_act_generic(service, milestone=milestone, actor=self.request.user, **kwargs)
        return Response(MilestoneSerializer(self.get_queryset().get(pk=milestone.pk)).data)

    @extend_schema(request=MilestoneActionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        data = MilestoneActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(checklists.milestone_submit, note=data.validated_data["note"])

    @extend_schema(request=MilestoneActionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = MilestoneActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(checklists.milestone_approve, comment=data.validated_data["comment"])

    @extend_schema(request=MilestoneActionSerializer)
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        data = MilestoneActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(checklists.milestone_request_changes, comment=data.validated_data["comment"])

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        return self._act(checklists.milestone_sign_off)


class DocumentViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DocumentSerializer
    # Only for the schema (it reads the model here); get_queryset() scopes rows to the user.
    queryset = Document.objects.none()

    def get_queryset(self):
        return Document.objects.visible_to(self.request.user)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True)
    def download(self, request, pk=None):
        document = self.get_object()
        return document_response(document)


def document_response(document: Document) -> FileResponse:
    """Serve a stored document as an attachment, never inline: what a browser would guess is not ours to trust."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
