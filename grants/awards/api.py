"""/api/v1/awards/, /api/v1/award-reports/ and /api/v1/modifications/: thin views over the post-award services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grants.awards import selectors, services
from grants.awards import serializers as s
from grants.models import Award, Modification, Report


def _body(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data


class AwardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Awards you see, with their clocks (acceptance, suspended, locked, closeout)."""

    serializer_class = s.AwardSerializer
    queryset = Award.objects.none()

    def get_queryset(self):
        return selectors.award_list(user=self.request.user)

    def _fresh(self, award: Award, code: int = status.HTTP_200_OK) -> Response:
        return Response(s.AwardSerializer(self.get_queryset().get(pk=award.pk)).data, status=code)

    @extend_schema(request=None, responses=s.AwardSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._fresh(services.award_accept(award=self.get_object(), actor=request.user))

    @extend_schema(request=s.ReasonSerializer, responses=s.AwardSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        award = self.get_object()  # 404 before reading the body.
        reason = _body(s.ReasonSerializer, request).validated_data["reason"]
        return self._fresh(services.award_decline(award=award, actor=request.user, reason=reason))

    @extend_schema(request=s.RolesSerializer, responses=s.AwardSerializer)
    @action(detail=True, methods=["post"])
    def roles(self, request, pk=None):
        award = self.get_object()
        roles = _body(s.RolesSerializer, request).users()
        return self._fresh(services.award_roles_set(award=award, actor=request.user, **roles))

    @extend_schema(request=s.AmountSerializer, responses=s.AwardSerializer)
    @action(detail=True, methods=["post"], url_path="planning-spending")
    def planning_spending(self, request, pk=None):
        award = self.get_object()
        data = _body(s.AmountSerializer, request).validated_data
        award = services.planning_spending_record(award=award, actor=request.user, **data)
        return self._fresh(award)

    @extend_schema(responses=s.ReportSerializer(many=True))
    @action(detail=True)
    def reports(self, request, pk=None):
        page = self.paginate_queryset(selectors.report_list(award=self.get_object()))
        return self.get_paginated_response(s.ReportSerializer(page, many=True).data)

    @extend_schema(request=s.MatchWriteSerializer, responses={200: s.MatchReportSerializer(many=True)})
    @action(detail=True, methods=["get", "post"])
    def match(self, request, pk=None):
        award = self.get_object()
        if request.method == "POST":
            data = _body(s.MatchWriteSerializer, request).validated_data
            entry = services.match_report(award=award, actor=request.user, **data)
            return Response(s.MatchReportSerializer(entry).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(award.match_reports.order_by("year", "reported_at", "id"))
        return self.get_paginated_response(s.MatchReportSerializer(page, many=True).data)

    @extend_schema(request=s.ModificationWriteSerializer, responses={200: s.ModificationSerializer(many=True)})
    @action(detail=True, methods=["get", "post"])
    def modifications(self, request, pk=None):
        award = self.get_object()
        if request.method == "POST":
            data = dict(_body(s.ModificationWriteSerializer, request).validated_data)
            modification = services.modification_request(award=award, actor=request.user, **data)
            return Response(s.ModificationSerializer(modification).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(award.modifications.order_by("-created_at", "-id"))
        return self.get_paginated_response(s.ModificationSerializer(page, many=True).data)

    @extend_schema(responses=s.CalendarSerializer(many=True))
    @action(detail=False)
    def calendar(self, request):
        """Our reporting calendar: reports the awards of your organizations still owe, soonest first."""
        page = self.paginate_queryset(selectors.reporting_calendar(user=request.user))
        return self.get_paginated_response(s.CalendarSerializer(page, many=True).data)


class ReportViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One report of an award and its chain: draft → lead agency submits → BJA approves or sends back."""

    serializer_class = s.ReportSerializer
    queryset = Report.objects.none()

    def get_object(self):
        return selectors.report_get(user=self.request.user, report_id=self.kwargs["pk"])

    def _answer(self, report: Report) -> Response:
        return Response(s.ReportSerializer(selectors.report_get(user=self.request.user, report_id=report.pk)).data)

    @extend_schema(request=s.TextSerializer, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"])
    def draft(self, request, pk=None):
        report = self.get_object()  # 404 before reading the body.
        text = _body(s.TextSerializer, request).validated_data["text"]
        return self._answer(services.report_draft(report=report, actor=request.user, text=text))

    @extend_schema(request=None, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._answer(services.report_submit(report=self.get_object(), actor=request.user))

    @extend_schema(request=s.CommentSerializer, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        report = self.get_object()
        comment = _body(s.CommentSerializer, request).validated_data["comment"]
        return self._answer(services.report_approve(report=report, actor=request.user, comment=comment))

    @extend_schema(request=s.CommentSerializer, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        report = self.get_object()
        comment = _body(s.CommentSerializer, request).validated_data["comment"]
        return self._answer(services.report_return(report=report, actor=request.user, comment=comment))


class ModificationViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ModificationSerializer
    queryset = Modification.objects.none()

    def get_queryset(self):
        awards = selectors.award_list(user=self.request.user).values("id")
        return Modification.objects.filter(award__in=awards).select_related("award", "award__case")

    @extend_schema(request=None, responses=s.ModificationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        modification = services.modification_submit(modification=self.get_object(), actor=request.user)
        return Response(s.ModificationSerializer(modification).data)

    @extend_schema(request=s.DecisionWriteSerializer, responses=s.ModificationSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        modification = self.get_object()
        data = _body(s.DecisionWriteSerializer, request).validated_data
        modification = services.modification_decide(modification=modification, actor=request.user, **data)
        return Response(s.ModificationSerializer(modification).data)
