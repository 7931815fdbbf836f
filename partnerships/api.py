"""Partnership endpoints: /api/v1/partnerships/…, /api/v1/agreements/…, /api/v1/assessments/…

Stage changes go through the generic /api/v1/cases/{case}/transitions/ (each partnership names its case).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.models import User
from config.phi import GuardedSerializerMixin
from partnerships import serializers as s
from partnerships.models import Agreement, Assessment, AssessmentAnswer, Partnership
from partnerships.selectors import assessments as assessment_selectors
from partnerships.selectors.partnerships import agreement_list, local_today, partnership_with_relations
from partnerships.services import agreements, assessments, corrections, members, partnerships
from tasks.serializers import TaskSerializer
from workflow.access import EDIT, MANAGE, VIEW
from workflow.matrix import ASSESSOR, AUTHOR_ORGANIZATION, LEAD_ADMIN
from workflow.serializers import MilestoneSerializer
from workflow.viewsets import CaseScopedViewSet


class AnswerSerializer(GuardedSerializerMixin, serializers.ModelSerializer):
    item_order = serializers.IntegerField(source="item.order")
    text = serializers.CharField(source="item.text")
    essential_elements = serializers.ListField(source="item.tags", child=serializers.CharField())

    class Meta:
        model = AssessmentAnswer
        fields = ["item", "item_order", "text", "essential_elements", "answer", "note", "milestone"]
        read_only_fields = fields


class ScoreSerializer(GuardedSerializerMixin, serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    points = serializers.FloatField()
    counted = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True)


class AssessmentDetailSerializer(s.AssessmentSerializer):
    answers = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()
    change = serializers.SerializerMethodField()

    class Meta(s.AssessmentSerializer.Meta):
        fields = [*s.AssessmentSerializer.Meta.fields, "answers", "scores", "change"]
        read_only_fields = fields

    def _answers(self, assessment) -> list:
        return list(assessment.answers.all())

    @extend_schema_field(AnswerSerializer(many=True))
    def get_answers(self, assessment) -> list[dict]:
        return AnswerSerializer(self._answers(assessment), many=True).data

    def get_scores(self, assessment) -> dict:
        overall, elements = assessment_selectors.assessment_scores(answers=self._answers(assessment))
        return {
            "overall": ScoreSerializer(overall).data,
            "essential_elements": ScoreSerializer(elements, many=True).data,
        }

    def get_change(self, assessment) -> dict | None:
        comparison = assessment_selectors.assessment_comparison(
            assessment=assessment, answers=self._answers(assessment)
        )
        if comparison is None:
            return None
        return {
            "previous": comparison.previous.pk,
            "overall": {"before": comparison.overall.before, "after": comparison.overall.after},
            "essential_elements": [
                {"key": e.key, "label": e.label, "before": e.before, "after": e.after, "delta": e.delta}
                for e in comparison.elements
            ],
            "items": [
                {"order": i.order, "text": i.text, "before": i.before, "after": i.after, "change": i.change}
                for i in comparison.items
            ],
        }


def _today(partnership: Partnership):
    return local_today(partnership.case.organization)


class PartnershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseScopedViewSet):
    """Partnerships the user's organizations take part in."""

    serializer_class = s.PartnershipSerializer
    queryset = Partnership.objects.all()
    not_found = "Partnership not found."
    action_rights = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": EDIT,
        "partial_update": EDIT,
        "members": MANAGE,
        "agreements": {"get": VIEW, "post": EDIT},
        "assessments": {"get": VIEW, "post": EDIT},
        "trend": VIEW,
        "member_remove": LEAD_ADMIN,
        "member_restore": LEAD_ADMIN,
    }

    def rows(self):
        return partnership_with_relations(Partnership.objects.all())

    def _answer(self, partnership: Partnership, status_code: int = status.HTTP_200_OK) -> Response:
        # After a write, its service has checked that the actor may see the case: no need to ask again.
        return Response(self.get_serializer(self.rows().get(pk=partnership.pk)).data, status=status_code)

    @extend_schema(request=s.PartnershipCreateSerializer, responses={201: s.PartnershipSerializer})
    def create(self, request):
        data = s.PartnershipCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["members"] = [(m["organization"], m["role"]) for m in values["members"]]
        partnership = partnerships.partnership_create(actor=request.user, **values)
        return self._answer(partnership, status.HTTP_201_CREATED)

    @extend_schema(request=s.PartnershipUpdateSerializer, responses=s.PartnershipSerializer)
    def partial_update(self, request, pk=None):
        partnership = self.write_target()
        data = self.write_input(s.PartnershipUpdateSerializer, partnership, partial=True)
        partnerships.partnership_update(partnership=partnership, actor=request.user, **data)
        return self._answer(partnership)

    @extend_schema(request=s.PartnershipMemberInputSerializer, responses={201: s.PartnershipMemberSerializer})
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        partnership = self.write_target()
        data = self.write_input(s.PartnershipMemberInputSerializer, partnership)
        member = partnerships.partnership_member_add(partnership=partnership, actor=request.user, **data)
        return Response(s.PartnershipMemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.MemberRemoveSerializer, responses={204: None})
    @action(detail=True, methods=["post"], url_path="members/remove")
    def member_remove(self, request, pk=None):
        """The lead agency's admin removes a member added by mistake (never the lead), saying why; its access ends
        at once."""
        partnership = self.write_target()
        data = self.write_input(s.MemberRemoveSerializer, partnership)
        members.partnership_member_remove(partnership=partnership, actor=request.user, **data)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.MemberOrganizationSerializer, responses={201: s.PartnershipMemberSerializer})
    @action(detail=True, methods=["post"], url_path="members/restore")
    def member_restore(self, request, pk=None):
        """Add back a member removed by mistake, with the role and responsibilities it had."""
        partnership = self.write_target()
        data = self.write_input(s.MemberOrganizationSerializer, partnership)
        member = members.partnership_member_restore(partnership=partnership, actor=request.user, **data)
        return Response(s.PartnershipMemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=s.AgreementSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": s.AgreementCreateSerializer, "application/json": s.AgreementCreateSerializer},
        responses={201: s.AgreementSerializer},
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def agreements(self, request, pk=None):
        """MOUs and information-sharing agreements. They record who agreed to what, never client health data."""
        if request.method == "GET":
            partnership = self.get_object()
            context = {"today": _today(partnership)}
            page = self.paginate_queryset(agreement_list(partnership=partnership))
            return self.get_paginated_response(s.AgreementSerializer(page, many=True, context=context).data)
        partnership = self.write_target()
        values = dict(self.write_input(s.AgreementCreateSerializer, partnership))
        agreement = agreements.agreement_create(
            partnership=partnership, actor=request.user, upload=values.pop("file", None), **values
        )
        agreement = agreement_list(partnership=partnership).get(pk=agreement.pk)
        context = {"today": _today(partnership)}
        return Response(s.AgreementSerializer(agreement, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=s.AssessmentSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.AssessmentStartSerializer, responses={201: s.AssessmentSerializer})
    @action(detail=True, methods=["get", "post"])
    def assessments(self, request, pk=None):
        """GET: every assessment of the partnership. POST: start one for a member (its kind's checklist)."""
        if request.method == "GET":
            partnership = self.get_object()
            page = self.paginate_queryset(assessment_selectors.partnership_assessments(partnership=partnership))
            return self.get_paginated_response(s.AssessmentSerializer(page, many=True).data)
        partnership = self.write_target()
        data = self.write_input(s.AssessmentStartSerializer, partnership)
        assessment = assessments.assessment_start(partnership=partnership, actor=request.user, **data)
        return Response(s.AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses=inline_serializer(
            "AssessmentTrend",
            {
                "organization": serializers.CharField(),
                "checklist": serializers.CharField(),
                "points": serializers.ListField(child=serializers.DictField()),
            },
            many=True,
        )
    )
    @action(detail=True, pagination_class=None)
    def trend(self, request, pk=None):
        """Overall scores of submitted assessments over time, one series per member."""
        series = assessment_selectors.assessment_trend(partnership=self.get_object())
        return Response(
            [
                {
                    "organization": line.organization,
                    "checklist": line.checklist,
                    "points": [{"at": p.at, "score": p.score, "assessment": p.assessment_id} for p in line.points],
                }
                for line in series
            ]
        )


class AgreementViewSet(mixins.RetrieveModelMixin, CaseScopedViewSet):
    serializer_class = s.AgreementSerializer
    queryset = Agreement.objects.select_related("partnership__case__organization").prefetch_related(
        "parties__organization"
    )
    case_field = "partnership__case"
    not_found = "Agreement not found."
    action_rights = {
        "retrieve": VIEW,
        "sign": EDIT,
        "title": AUTHOR_ORGANIZATION,
    }  # The service narrows signing to an admin of a party.

    @extend_schema(request=s.AgreementSignSerializer, responses=s.AgreementSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Record a party's signature. Only an administrator of that organization may; the date defaults to today."""
        agreement = self.write_target()
        data = self.write_input(s.AgreementSignSerializer, agreement)
        agreements.agreement_sign(agreement=agreement, actor=request.user, **data)
        return Response(self.get_serializer(self.rows().get(pk=agreement.pk)).data)

    @extend_schema(request=s.AgreementTitleSerializer, responses=s.AgreementSerializer)
    @action(detail=True, methods=["post"])
    def title(self, request, pk=None):
        """Correct the title (the recording organization); the timeline says who changed it to what."""
        agreement = self.write_target()
        data = self.write_input(s.AgreementTitleSerializer, agreement)
        corrections.agreement_title_correct(agreement=agreement, actor=request.user, **data)
        return Response(self.get_serializer(self.rows().get(pk=agreement.pk)).data)


class AssessmentViewSet(mixins.RetrieveModelMixin, CaseScopedViewSet):
    serializer_class = AssessmentDetailSerializer
    queryset = Assessment.objects.all()
    case_field = "partnership__case"
    not_found = "Assessment not found."
    action_rights = {
        "retrieve": VIEW,
        "answers": ASSESSOR,
        "submit": ASSESSOR,
        "note": ASSESSOR,
        "plan_gap": EDIT,
        "gap_task": EDIT,
    }

    def rows(self):
        return assessment_selectors.assessment_with_answers(Assessment.objects.all())

    def _fresh(self, assessment: Assessment) -> Response:
        # After a write, its service has checked that the actor may see the case: no need to ask again.
        return Response(self.get_serializer(self.rows().get(pk=assessment.pk)).data)

    @extend_schema(request=s.AnswersSerializer, responses=AssessmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def answers(self, request, pk=None):
        """Save answers of a draft (some or all); it stays a draft."""
        assessment = self.write_target()
        answers = self._answers_input(assessment)
        assessments.assessment_save(assessment=assessment, actor=request.user, answers=answers)
        return self._fresh(assessment)

    @extend_schema(request=s.AnswersSerializer, responses=AssessmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Save the last answers and submit. Every item must be answered; the assessment is then locked."""
        assessment = self.write_target()
        answers = self._answers_input(assessment)
        assessments.assessment_submit(assessment=assessment, actor=request.user, answers=answers)
        return self._fresh(assessment)

    def _answers_input(self, assessment: Assessment) -> dict:
        data = s.AnswersSerializer(data=self.request.data)
        with self.input_of(assessment):
            data.is_valid(raise_exception=True)
        return data.as_dict()

    def _answer(self, assessment: Assessment, item: int) -> AssessmentAnswer:
        answer = next((a for a in assessment.answers.all() if a.item_id == item), None)
        if answer is None:
            with self.input_of(assessment):
                raise serializers.ValidationError({"item": ["This item is not on the assessment."]})
        return answer

    @extend_schema(request=s.NoteCorrectionSerializer, responses=AssessmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def note(self, request, pk=None):
        """Correct one answer's note (the assessed organization), even after submitting."""
        assessment = self.write_target()
        data = self.write_input(s.NoteCorrectionSerializer, assessment)
        answer = self._answer(assessment, data["item"])
        corrections.assessment_note_correct(answer=answer, actor=request.user, note=data["note"])
        return self._fresh(assessment)

    @extend_schema(request=s.GapPlanSerializer, responses={201: MilestoneSerializer})
    @action(detail=True, methods=["post"], url_path="plan-gap")
    def plan_gap(self, request, pk=None):
        """Turn the answer to one item ("no" or "partly") into a milestone on the partnership."""
        assessment = self.write_target()
        data = self.write_input(s.GapPlanSerializer, assessment)
        answer = self._answer(assessment, data["item"])
        milestone = assessments.assessment_gap_plan(answer=answer, actor=request.user, due_date=data["due_date"])
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.GapTaskSerializer, responses={201: TaskSerializer})
    @action(detail=True, methods=["post"], url_path="gap-task")
    def gap_task(self, request, pk=None):
        """Turn the answer to one item ("no" or "partly") into a task for the organization that gave it."""
        assessment = self.write_target()
        data = self.write_input(s.GapTaskSerializer, assessment)
        answer = self._answer(assessment, data["item"])
        assignee = None
        if data["assignee"]:
            assignee = User.objects.filter(pk=data["assignee"], is_active=True).first()
            if assignee is None:
                with self.input_of(assessment):
                    raise serializers.ValidationError({"assignee": ["That person does not work on this case."]})
        task = assessments.assessment_gap_task(
            answer=answer, actor=request.user, assignee=assignee, due_date=data["due_date"]
        )
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)
