"""API routes of the grants app, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from grants.api import ApplicationViewSet, ReviewAssignmentViewSet, SolicitationViewSet

router = SimpleRouter()
router.register("solicitations", SolicitationViewSet, basename="solicitation")
router.register("applications", ApplicationViewSet, basename="application")
router.register("reviews", ReviewAssignmentViewSet, basename="review-assignment")

urlpatterns = router.urls
