"""Technical assistance endpoints: /api/v1/learning-sites/…, /api/v1/ta-requests/…, /api/v1/ta-report/

Acknowledge, decline, withdraw and close are plain transitions: /api/v1/cases/{case}/transitions/.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organization
from config.errors import NotFound
from config.schema import ErrorSerializer
from partnerships import serializers as s
from partnerships.models import TARequest
from partnerships.selectors.ta import learning_site_list, ta_queue, ta_request_with_relations, ta_user_coordinates
from partnerships.selectors.ta_report import ta_annual_report
from partnerships.services import learning_sites, ta
from workflow.access import VIEW
from workflow.matrix import LEARNING_SITE_STAFF, MATCHED_SITE, SIGNED_IN, TA_COORDINATOR
from workflow.viewsets import CaseScopedViewSet


class LearningSiteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The Learning Site directory, open to every signed-in user. A site's own staff keep its profile."""

    serializer_class = s.LearningSiteSerializer
    queryset = Organization.objects.none()
    action_rights = {"list": SIGNED_IN, "retrieve": SIGNED_IN, "profile": LEARNING_SITE_STAFF}

    def get_queryset(self):
        return learning_site_list()

    @extend_schema(request=s.LearningSiteProfileInputSerializer, responses=s.LearningSiteSerializer)
    @action(detail=True, methods=["put"])
    def profile(self, request, pk=None):
        site = self.get_object()
        learning_sites.learning_site_profile_require(organization=site, actor=request.user)  # 403 before 400.
        data = s.LearningSiteProfileInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        learning_sites.learning_site_profile_update(organization=site, actor=request.user, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)


class TARequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseScopedViewSet):
    """Requests the user's organizations filed, and those offered or matched to their Learning Site (or BJA)."""

    serializer_class = s.TARequestSerializer
    queryset = TARequest.objects.all()
    filterset_fields = ["topic", "matched_site"]
    not_found = "Request not found."
    action_rights = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": SIGNED_IN,
        "queue": VIEW,
        "match": TA_COORDINATOR,
        "schedule": MATCHED_SITE,
        "deliveries": {"get": VIEW, "post": MATCHED_SITE},
    }

    def rows(self):
        return ta_request_with_relations(TARequest.objects.all())

    def _answer(self, ta_request: TARequest, status_code: int = status.HTTP_200_OK) -> Response:
        # After a write, its service has checked that the actor may see the case: no need to ask again.
        return Response(self.get_serializer(self.rows().get(pk=ta_request.pk)).data, status=status_code)

    @extend_schema(request=s.TARequestCreateSerializer, responses={201: s.TARequestSerializer})
    def create(self, request):
        data = s.TARequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(ta.ta_request_create(actor=request.user, **data.validated_data), status.HTTP_201_CREATED)

    @extend_schema(responses=s.TARequestSerializer(many=True))
    @action(detail=False)
    def queue(self, request):
        """Open requests you coordinate, oldest first; `?overdue=acknowledge` or `?overdue=match` narrows them."""
        queue = ta_queue(user=request.user)
        rows = {"acknowledge": queue.acknowledge_overdue, "match": queue.match_overdue}.get(
            request.query_params.get("overdue"), queue.open
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=s.MatchSerializer, responses=s.TARequestSerializer)
    @action(detail=True, methods=["post"])
    def match(self, request, pk=None):
        """Match an acknowledged request with a Learning Site (TA coordinators)."""
        ta_request = self.write_target()
        data = self.write_input(s.MatchSerializer, ta_request)
        return self._answer(ta.ta_request_match(ta_request=ta_request, actor=request.user, **data))

    @extend_schema(request=s.ScheduleSerializer, responses=s.TARequestSerializer)
    @action(detail=True, methods=["post"])
    def schedule(self, request, pk=None):
        ta_request = self.write_target()
        data = self.write_input(s.ScheduleSerializer, ta_request)
        return self._answer(ta.ta_request_schedule(ta_request=ta_request, actor=request.user, **data))

    @extend_schema(methods=["GET"], responses=s.TADeliverySerializer(many=True))
    @extend_schema(methods=["POST"], request=s.TADeliveryInputSerializer, responses={201: s.TADeliverySerializer})
    @action(detail=True, methods=["get", "post"])
    def deliveries(self, request, pk=None):
        """What was delivered: date, type, site, attendees (trainings and webinars), hours."""
        if request.method == "GET":
            rows = self.get_object().deliveries.select_related("site").order_by("delivered_on", "id")
            page = self.paginate_queryset(rows)
            return self.get_paginated_response(s.TADeliverySerializer(page, many=True).data)
        ta_request = self.write_target()
        data = self.write_input(s.TADeliveryInputSerializer, ta_request)
        delivery = ta.ta_delivery_record(ta_request=ta_request, actor=request.user, **data)
        return Response(s.TADeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class TAReportView(APIView):
    """The annual TA report per Learning Site and in total, for Learning Site staff and BJA."""

    action_rights = {"get": SIGNED_IN}  # What it counts is the caller's: their sites, or BJA's programs.

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="Calendar year (default: this year)")],
        responses={200: s.AnnualReportSerializer, 404: ErrorSerializer},  # To who coordinates no TA.
    )
    def get(self, request):
        if not ta_user_coordinates(user=request.user):
            raise NotFound("Not found.")
        data = YearSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        year = data.validated_data.get("year") or timezone.localdate().year
        return Response(s.AnnualReportSerializer(ta_annual_report(user=request.user, year=year)).data)
