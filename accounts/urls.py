from django.urls import path

from accounts import views, views_security

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organizations/<int:organization_id>/members/", views.organization_members, name="organization-members"),
    path(
        "organizations/<int:organization_id>/security-log/",
        views_security.organization_security_log,
        name="organization-security-log",
    ),
    path(
        "organizations/<int:organization_id>/members/<int:membership_id>/role/",
        views.membership_role_update,
        name="membership-role",
    ),
    path(
        "organizations/<int:organization_id>/members/<int:membership_id>/deactivate/",
        views.membership_deactivate,
        name="membership-deactivate",
    ),
]
