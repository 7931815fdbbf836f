"""/api/v1/awards/, /api/v1/award-reports/ and /api/v1/modifications/: thin views over the post-award services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from grants.awards import selectors, services
from grants.awards import serializers as s
from grants.models import Award, Modification, Report
from workflow.access import EDIT, VIEW
from workflow.matrix import AUTHORIZED_REPRESENTATIVE, AWARD_ADMINISTRATOR, GRANT_MANAGER, LEAD_ADMIN, LEAD_STAFF
from workflow.viewsets import CaseScopedViewSet


class AwardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseScopedViewSet):
    """Awards you see, with their clocks (acceptance, suspended, locked, closeout).

    A step finds its award by id (``write_target``) and its service decides access on the locked row.
    """

    serializer_class = s.AwardSerializer
    queryset = Award.objects.all()
    not_found = "Award not found."
    action_rights = {
        "list": VIEW,
        "retrieve": VIEW,
        "calendar": VIEW,
        "accept": AUTHORIZED_REPRESENTATIVE,
        "decline": AUTHORIZED_REPRESENTATIVE,
        "roles": LEAD_ADMIN,
        "planning_spending": EDIT,
        "reports": VIEW,
        "match": {"get": VIEW, "post": EDIT},
        "modifications": {"get": VIEW, "post": EDIT},
    }

    def rows(self):
        return selectors.award_with_relations(Award.objects.all())

    def _fresh(self, award: Award, code: int = status.HTTP_200_OK) -> Response:
        # After a write, its service has checked that the actor may see the case: no need to ask again.
        return Response(s.AwardSerializer(self.rows().get(pk=award.pk)).data, status=code)

    @extend_schema(request=None, responses=s.AwardSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._fresh(services.award_accept(award=self.write_target(), actor=request.user))

    @extend_schema(request=s.ReasonSerializer, responses=s.AwardSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        award = self.write_target()
        data = self.write_input(s.ReasonSerializer, award)
        return self._fresh(services.award_decline(award=award, actor=request.user, **data))

    @extend_schema(request=s.RolesSerializer, responses=s.AwardSerializer)
    @action(detail=True, methods=["post"])
    def roles(self, request, pk=None):
        award = self.write_target()
        data = s.RolesSerializer(data=request.data)
        with self.input_of(award):
            data.is_valid(raise_exception=True)
            roles = data.users()
        return self._fresh(services.award_roles_set(award=award, actor=request.user, **roles))

    @extend_schema(request=s.AmountSerializer, responses=s.AwardSerializer)
    @action(detail=True, methods=["post"], url_path="planning-spending")
    def planning_spending(self, request, pk=None):
        award = self.write_target()
        data = self.write_input(s.AmountSerializer, award)
        return self._fresh(services.planning_spending_record(award=award, actor=request.user, **data))

    @extend_schema(responses=s.ReportSerializer(many=True))
    @action(detail=True)
    def reports(self, request, pk=None):
        page = self.paginate_queryset(selectors.report_list(award=self.get_object()))
        return self.get_paginated_response(s.ReportSerializer(page, many=True).data)

    @extend_schema(methods=["GET"], responses=s.MatchReportSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.MatchWriteSerializer, responses={201: s.MatchReportSerializer})
    @action(detail=True, methods=["get", "post"])
    def match(self, request, pk=None):
        if request.method == "POST":
            award = self.write_target()
            data = self.write_input(s.MatchWriteSerializer, award)
            entry = services.match_report(award=award, actor=request.user, **data)
            return Response(s.MatchReportSerializer(entry).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(self.get_object().match_reports.order_by("year", "reported_at", "id"))
        return self.get_paginated_response(s.MatchReportSerializer(page, many=True).data)

    @extend_schema(methods=["GET"], responses=s.ModificationSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.ModificationWriteSerializer, responses={201: s.ModificationSerializer})
    @action(detail=True, methods=["get", "post"])
    def modifications(self, request, pk=None):
        if request.method == "POST":
            award = self.write_target()
            data = dict(self.write_input(s.ModificationWriteSerializer, award))
            modification = services.modification_request(award=award, actor=request.user, **data)
            return Response(s.ModificationSerializer(modification).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(self.get_object().modifications.order_by("-created_at", "-id"))
        return self.get_paginated_response(s.ModificationSerializer(page, many=True).data)

    @extend_schema(responses=s.CalendarSerializer(many=True))
    @action(detail=False)
    def calendar(self, request):
        """Our reporting calendar: reports the awards of your organizations still owe, soonest first."""
        page = self.paginate_queryset(selectors.reporting_calendar(user=request.user))
        return self.get_paginated_response(s.CalendarSerializer(page, many=True).data)


class ReportViewSet(mixins.RetrieveModelMixin, CaseScopedViewSet):
    """One report of an award and its chain: draft → lead agency submits → BJA approves or sends back."""

    serializer_class = s.ReportSerializer
    queryset = Report.objects.all()
    case_field = "award__case"
    not_found = "Report not found."
    action_rights = {
        "retrieve": VIEW,
        "draft": EDIT,
        "submit": LEAD_STAFF,
        "approve": GRANT_MANAGER,
        "send_back": GRANT_MANAGER,
    }

    def rows(self):
        return selectors.report_with_relations(Report.objects.all())

    def _answer(self, report: Report) -> Response:
        # After a write, its service has checked that the actor may see the case: no need to ask again.
        return Response(s.ReportSerializer(self.rows().get(pk=report.pk)).data)

    @extend_schema(request=s.TextSerializer, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"])
    def draft(self, request, pk=None):
        report = self.write_target()
        text = self.write_input(s.TextSerializer, report)["text"]
        return self._answer(services.report_draft(report=report, actor=request.user, text=text))

    @extend_schema(request=None, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._answer(services.report_submit(report=self.write_target(), actor=request.user))

    @extend_schema(request=s.CommentSerializer, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        report = self.write_target()
        comment = self.write_input(s.CommentSerializer, report)["comment"]
        return self._answer(services.report_approve(report=report, actor=request.user, comment=comment))

    @extend_schema(request=s.CommentSerializer, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        report = self.write_target()
        comment = self.write_input(s.CommentSerializer, report)["comment"]
        return self._answer(services.report_return(report=report, actor=request.user, comment=comment))


class ModificationViewSet(mixins.RetrieveModelMixin, CaseScopedViewSet):
    serializer_class = s.ModificationSerializer
    queryset = Modification.objects.select_related("award", "award__case")
    case_field = "award__case"
    not_found = "Modification not found."
    # Submitting is the Grant Award Administrator's (one person of the lead); the service checks who.
    action_rights = {"retrieve": VIEW, "submit": AWARD_ADMINISTRATOR, "decide": GRANT_MANAGER}

    @extend_schema(request=None, responses=s.ModificationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        modification = services.modification_submit(modification=self.write_target(), actor=request.user)
        return Response(s.ModificationSerializer(modification).data)

    @extend_schema(request=s.DecisionWriteSerializer, responses=s.ModificationSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        modification = self.write_target()
        data = self.write_input(s.DecisionWriteSerializer, modification)
        modification = services.modification_decide(modification=modification, actor=request.user, **data)
        return Response(s.ModificationSerializer(modification).data)
