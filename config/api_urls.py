"""Everything under /api/v1/."""

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from accounts.api import (
    InvitationViewSet,
    MemberViewSet,
    MeView,
    OrganizationViewSet,
    TokenRevokeAllView,
    TokenView,
)
from accounts.api_security_log import SecurityEventListView
from config.api import not_found
from config.api_docs import SchemaView, swagger_view
from workflow.api import CaseViewSet, DocumentViewSet, MilestoneViewSet

router = DefaultRouter()
router.register("me/invitations", InvitationViewSet, basename="invitation")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("cases", CaseViewSet, basename="case")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("documents", DocumentViewSet, basename="document")

members = MemberViewSet.as_view({"get": "list", "post": "create"})
member = MemberViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"})
member_reactivate = MemberViewSet.as_view({"post": "reactivate"})

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/token/all/", TokenRevokeAllView.as_view(), name="api-token-revoke-all"),
    path("me/", MeView.as_view(), name="api-me"),
    path("organizations/<int:organization_pk>/members/", members, name="api-organization-members"),
    path("organizations/<int:organization_pk>/members/<int:pk>/", member, name="api-organization-member"),
    path(
        "organizations/<int:organization_pk>/members/<int:pk>/reactivate/",
        member_reactivate,
        name="api-organization-member-reactivate",
    ),
    path(
        "organizations/<int:organization_pk>/security-log/",
        SecurityEventListView.as_view(),
        name="api-organization-security-log",
    ),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", swagger_view, name="api-docs"),
    *router.urls,
    path("", include("tasks.api_urls")),
    path("", include("reminders.api_urls")),
    path("", include("grants.api_urls")),
    path("", include("partnerships.api_urls")),
    # Last: what no route above matched. Only paths ending in "/", so a missing slash is still redirected.
    re_path(r"^.*/$", not_found),
]
