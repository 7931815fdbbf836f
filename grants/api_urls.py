"""API routes of the grants app, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from grants.api import ApplicationViewSet, ReviewAssignmentViewSet, SolicitationViewSet
from grants.awards.api import AwardViewSet, ModificationViewSet, ReportViewSet

router = SimpleRouter()
router.register("solicitations", SolicitationViewSet, basename="solicitation")
router.register("applications", ApplicationViewSet, basename="application")
router.register("reviews", ReviewAssignmentViewSet, basename="review-assignment")

router.register("awards", AwardViewSet, basename="award")
router.register("award-reports", ReportViewSet, basename="award-report")
router.register("modifications", ModificationViewSet, basename="modification")

urlpatterns = router.urls
