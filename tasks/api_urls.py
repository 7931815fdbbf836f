"""API routes of the tasks app, included under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from tasks.api import CaseTaskViewSet, OrganizationTaskViewSet, TaskViewSet

router = SimpleRouter()
router.register("tasks", TaskViewSet, basename="task")

urlpatterns = [
    path(
        "cases/<int:case_pk>/tasks/",
        CaseTaskViewSet.as_view({"get": "list", "post": "create"}),
        name="api-case-tasks",
    ),
    path(
        "organizations/<int:organization_pk>/tasks/",
        OrganizationTaskViewSet.as_view({"get": "list"}),
        name="api-organization-tasks",
    ),
    path(
        "organizations/<int:organization_pk>/tasks/reassign/",
        OrganizationTaskViewSet.as_view({"post": "reassign"}),
        name="api-organization-tasks-reassign",
    ),
    *router.urls,
]
