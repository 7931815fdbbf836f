"""Generic case endpoints, usable by every case kind: /api/v1/cases/…, /api/v1/milestones/…, /api/v1/documents/…"""

from __future__ import annotations

from django import forms
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.models import Organization, User
from config.errors import NotFound
from config.params import Param, field_filter, params_apply
from workflow import (
    checklists,
    corrections,
    document_changes,
    documents,
    participants,
    redactions,
    selectors,
    services,
)
from workflow.access import EDIT, MANAGE, REVIEW, VIEW, case_rights
from workflow.matrix import AUTHOR_ORGANIZATION, LEAD_ADMIN, SITE_STAFF, transition_rights
from workflow.models import Case, Document, Milestone
from workflow.serializers import (
    CASE_ROWS,
    EVENT_ROWS,
    AvailableTransitionSerializer,
    CaseMilestonesSerializer,
    CaseSerializer,
    DocumentRedactSerializer,
    DocumentReplaceSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    DocumentWithdrawSerializer,
    EventSerializer,
    GrantSerializer,
    MilestoneActionSerializer,
    MilestoneSerializer,
    ParticipantChangeSerializer,
    ParticipantRemoveSerializer,
    ParticipantSerializer,
    RedactionResultSerializer,
    RedactionSerializer,
    TransitionRequestSerializer,
    case_rows,
)
from workflow.viewsets import CaseScopedViewSet, object_id

# ``filterset_fields``' parameters for the case list (config/params.py): the same form fields django-filter generates
# (tests/workflow/test_case_params.py compares the two), without a FilterSet per request.
CASE_PARAMS = {
    "kind": Param(forms.CharField(required=False), field_filter("kind")),
    "stage": Param(forms.CharField(required=False), field_filter("stage")),
    "organization": Param(
        forms.ModelChoiceField(queryset=Organization.objects.all(), required=False), field_filter("organization")
    ),
}


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseScopedViewSet):
    """Cases of every kind the user may see. Domain endpoints create them; here they move and are inspected."""

    serializer_class = CaseSerializer
    queryset = Case.objects.all()
    filterset_fields = ["kind", "stage", "organization"]
    case_field = "pk"
    not_found = "Case not found."
    action_rights = {
        "list": VIEW,
        "retrieve": VIEW,
        "participants": VIEW,
        # Firing one needs that transition's right and rules; right_needed() narrows this to the case kind's.
        "transitions": {"get": VIEW, "post": (VIEW, EDIT, REVIEW, MANAGE)},
        "timeline": VIEW,
        "milestones": VIEW,
        "documents": {"get": VIEW, "post": EDIT},
        "grants": MANAGE,
        "revoke": MANAGE,
        "participant_remove": LEAD_ADMIN,
        "participant_restore": LEAD_ADMIN,
        "redactions": SITE_STAFF,
    }

    def right_needed(self):
        if self.action == "transitions" and self.request.method == "POST" and self.kwargs:
            return transition_rights(self.write_target().kind)
        return super().right_needed()

    def rows(self):
        cases = Case.objects.order_by("-opened_at", "-id")
        if self.action == "retrieve":
            return selectors.case_with_relations(cases)
        # Lists read values() (case_rows); the actions below answer with other rows: the case alone is enough.
        return cases

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(CASE_ROWS.values(params_apply(self.get_queryset(), request, CASE_PARAMS)))
        return self.get_paginated_response(case_rows(page))

    @extend_schema(responses=ParticipantSerializer(many=True))
    @action(detail=True, pagination_class=None)
    def participants(self, request, pk=None):
        case = self.get_object()
        return Response(ParticipantSerializer(case.participations.all(), many=True).data)

    @extend_schema(request=ParticipantRemoveSerializer, responses={204: None})
    @action(detail=True, methods=["post"], url_path="participants/remove")
    def participant_remove(self, request, pk=None):
        """The lead's admin removes a co-applicant or partner added by mistake (never the lead), saying why; access
        ends at once."""
        case = self.write_target()
        data = self.write_input(ParticipantRemoveSerializer, case)
        participants.participant_remove(case=case, actor=request.user, **data)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ParticipantChangeSerializer, responses={201: ParticipantSerializer})
    @action(detail=True, methods=["post"], url_path="participants/restore")
    def participant_restore(self, request, pk=None):
        """Add back an organization removed by mistake, in the role it had."""
        case = self.write_target()
        data = self.write_input(ParticipantChangeSerializer, case)
        participant = participants.participant_restore(case=case, organization=data["organization"], actor=request.user)
        return Response(ParticipantSerializer(participant).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RedactionSerializer, responses={201: RedactionResultSerializer})
    @action(detail=True, methods=["post"])
    def redactions(self, request, pk=None):
        """Site staff only: replace a text that carried client information with a marker, scrubbing the timeline's
        earlier copies of it; a `<target>.redacted` event names who did it and why (workflow.redactions)."""
        case = self.write_target()
        # Only site staff get here (the declared right), and they may not see the case as participants: bad input
        # is a 400 to them, never the 404 write_input() gives to who may not see the case.
        serializer = RedactionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        redaction = redactions.text_redact(
            case=case,
            actor=request.user,
            target=data["target"],
            object_id=data["id"],
            field=data["field"],
            reason=data["reason"],
        )
        answer = {**data, "text": getattr(redaction.object, data["field"]), "event": redaction.event.pk}
        answer.pop("reason")
        return Response(RedactionResultSerializer(answer).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=AvailableTransitionSerializer(many=True))
    @extend_schema(methods=["POST"], request=TransitionRequestSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def transitions(self, request, pk=None):
        """GET: what you may fire now (and why a blocked one is blocked). POST: fire one."""
        if request.method == "GET":
            case = self.get_object()
            available = selectors.case_available_transitions(case=case, user=request.user)
            return Response(AvailableTransitionSerializer(available, many=True).data)
        case = self.write_target()
        data = self.write_input(TransitionRequestSerializer, case)
        case = services.case_transition(case=case, actor=request.user, **data)
        # The service has just checked that the actor may see the case: read it back without asking again.
        return Response(CaseSerializer(selectors.case_with_relations(Case.objects.all()).get(pk=case.pk)).data)

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True)
    def timeline(self, request, pk=None):
        # The rights decide what the timeline shows, and without "view" the case is not found: rights come from
        # rows that point at the case, so only a superuser's (which come from no row) need the case looked up.
        case_id = object_id(pk, Case)
        rights = case_rights(user=request.user, case=case_id) if case_id else set()
        if VIEW not in rights or (request.user.is_superuser and not Case.objects.filter(pk=case_id).exists()):
            raise NotFound("Case not found.")
        events = selectors.case_timeline(case=case_id, user=request.user, rights=rights)
        page = self.paginate_queryset(EVENT_ROWS.values(events))
        return self.get_paginated_response(EVENT_ROWS.render(page))

    @extend_schema(responses=CaseMilestonesSerializer)
    @action(detail=True, pagination_class=None)
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
        methods=["POST"], request={"multipart/form-data": DocumentUploadSerializer}, responses={201: DocumentSerializer}
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request, pk=None):
        """GET: the documents you may see. POST: upload one; a case kind whose app takes its documents in by its own
        rules (an application's attachments) answers 409 `domain_documents`, naming where to upload instead."""
        if request.method == "GET":
            case = self.get_object()
            queryset = Document.objects.visible_to(request.user).filter(case=case).order_by("-uploaded_at", "-id")
            page = self.paginate_queryset(queryset)
            return self.get_paginated_response(DocumentSerializer(page, many=True).data)
        case = self.write_target()
        # Before the input is read: no "file required" to someone who must upload elsewhere.
        documents.document_uploadable(case=case, actor=request.user)
        data = self.write_input(DocumentUploadSerializer, case)
        milestone = None
        if "milestone" in data:
            milestone = Milestone.objects.filter(case=case, pk=data["milestone"]).first()
            if milestone is None:
                with self.input_of(case):
                    raise serializers.ValidationError({"milestone": ["No such milestone on this case."]})
        document = documents.document_upload(
            case=case,
            actor=request.user,
            upload=data["file"],
            kind=data["kind"],
            visibility=data["visibility"],
            milestone=milestone,
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=GrantSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def grants(self, request, pk=None):
        """Give one person a right on this case (peer reviewer, consultant, delegate). Needs the manage right."""
        # Looked up as a read: the grant services refuse who lacks the manage right, and an outsider is not found.
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


class MilestoneViewSet(mixins.RetrieveModelMixin, CaseScopedViewSet):
    """One milestone and its actions. Anyone who sees the case sees its milestones."""

    serializer_class = MilestoneSerializer
    queryset = Milestone.objects.select_related("template").prefetch_related("signoffs__organization")
    not_found = "Milestone not found."
    # Deciding needs review when the milestone needs BJA's approval, manage otherwise (workflow.checklists).
    action_rights = {
        "retrieve": VIEW,
        "submit": EDIT,
        "approve": (REVIEW, MANAGE),
        "request_changes": (REVIEW, MANAGE),
        "sign_off": EDIT,
        "note": AUTHOR_ORGANIZATION,
    }

    def _act(self, service, *, takes: str | None = None):
        """Run a milestone service; `takes` names the one input it reads (the note or the reviewer's comment)."""
        milestone = self.write_target()
        given = {takes: self.write_input(MilestoneActionSerializer, milestone)[takes]} if takes else {}
        checklists.milestone_act_generic(service, milestone=milestone, actor=self.request.user, **given)
        # The service has just checked that the actor may see the case: read it back without asking again.
        return Response(MilestoneSerializer(self.rows().get(pk=milestone.pk)).data)

    @extend_schema(request=MilestoneActionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(checklists.milestone_submit, takes="note")

    @extend_schema(request=MilestoneActionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._act(checklists.milestone_approve, takes="comment")

    @extend_schema(request=MilestoneActionSerializer)
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        return self._act(checklists.milestone_request_changes, takes="comment")

    @extend_schema(request=MilestoneActionSerializer)
    @action(detail=True, methods=["post"])
    def note(self, request, pk=None):
        """Correct the evidence note of a submitted milestone (its submitter's organization); an event records it."""
        milestone = self.write_target()
        note = self.write_input(MilestoneActionSerializer, milestone)["note"]
        corrections.milestone_note_correct(milestone=milestone, actor=request.user, note=note)
        return Response(MilestoneSerializer(self.rows().get(pk=milestone.pk)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        return self._act(checklists.milestone_sign_off)


class DocumentViewSet(mixins.RetrieveModelMixin, CaseScopedViewSet):
    serializer_class = DocumentSerializer
    queryset = Document.objects.all()  # For the schema; rows() narrows by each document's visibility.
    not_found = "Document not found."
    action_rights = {
        "retrieve": VIEW,
        "download": VIEW,
        "withdraw": AUTHOR_ORGANIZATION,
        "replace": AUTHOR_ORGANIZATION,
        "redact": SITE_STAFF,
    }

    def rows(self):
        return Document.objects.readable_by(self.request.user)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True)
    def download(self, request, pk=None):
        document = self.get_object()
        return document_response(document)

    @extend_schema(request=DocumentWithdrawSerializer, responses=DocumentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Take the document out of use, with a reason; it stays on the case for the record (site staff)."""
        document = self.write_target()
        data = self.write_input(DocumentWithdrawSerializer, document)
        document = document_changes.document_withdraw(document=document, actor=request.user, reason=data["reason"])
        return Response(DocumentSerializer(document).data)

    @extend_schema(request={"multipart/form-data": DocumentReplaceSerializer}, responses={201: DocumentSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def replace(self, request, pk=None):
        """Upload a new version; the old one is withdrawn in the same step. Answers the new document."""
        document = self.write_target()
        data = self.write_input(DocumentReplaceSerializer, document)
        new = document_changes.document_replace(
            document=document, actor=request.user, upload=data["file"], reason=data["reason"]
        )
        return Response(DocumentSerializer(new).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DocumentRedactSerializer, responses=DocumentSerializer)
    @action(detail=True, methods=["post"])
    def redact(self, request, pk=None):
        """Site staff only: remove a document that carries client information (its bytes and its name, also from
        the earlier events and notifications that carried the name), with an optional reason for the timeline."""
        document = self.write_target()
        # Only site staff get here (the declared right): bad input is a 400 to them, as for text redactions.
        serializer = DocumentRedactSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        document = document_changes.document_redact(document=document, actor=request.user, reason=reason)
        return Response(DocumentSerializer(document).data)


def document_response(document: Document) -> FileResponse:
    """Serve a stored document as an attachment, never inline: what a browser would guess is not ours to trust."""
    if document.redacted_at is not None:
        raise NotFound("This document was redacted.")
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
