"""API routes of the partnerships app, included under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from partnerships.api import AgreementViewSet, AssessmentViewSet, PartnershipViewSet
from partnerships.api_ta import LearningSiteViewSet, TAReportView, TARequestViewSet

router = SimpleRouter()
router.register("partnerships", PartnershipViewSet, basename="partnership")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("learning-sites", LearningSiteViewSet, basename="learning-site")
router.register("ta-requests", TARequestViewSet, basename="ta-request")

urlpatterns = [
    path("ta-report/", TAReportView.as_view(), name="api-ta-report"),
    *router.urls,
]
