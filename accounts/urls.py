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
    path(
        "organizations/<int:organization_id>/members/<int:membership_id>/reactivate/",
        views.membership_reactivate,
        name="membership-reactivate",
    ),
    path("invitations/<int:membership_id>/", views.invitation, name="invitation"),
    path(
        "invitations/<int:membership_id>/accept/",
        views.invitation_answer,
        {"answer": "accept"},
        name="invitation-accept",
    ),
    path(
        "invitations/<int:membership_id>/decline/",
        views.invitation_answer,
        {"answer": "decline"},
        name="invitation-decline",
    ),
    # A new account's invitation: Django's password-reset link with the invitation it accepts appended.
    path(
        "accounts/reset/<uidb64>/<token>/invitation/<int:membership_id>/",
        views.InvitationPasswordView.as_view(),
        name="invitation-password",
    ),
]
