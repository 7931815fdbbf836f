"""Sign-in pages under /accounts/, ahead of django.contrib.auth.urls (config/urls.py), which serves the rest."""

from django.urls import path

from accounts import views_profile, views_security, views_signin

urlpatterns = [
    path("login/", views_signin.SignInView.as_view(), name="login"),
    path("two-step/", views_signin.mfa_verify, name="mfa-verify"),
    path("two-step/setup/", views_security.mfa_setup, name="mfa-setup"),
    path("two-step/recovery-codes/", views_security.mfa_recovery_codes, name="mfa-recovery-codes"),
    path("oidc/start/", views_signin.oidc_start, name="oidc-start"),
    path("oidc/callback/", views_signin.oidc_callback, name="oidc-callback"),
    path("profile/", views_profile.profile, name="account-profile"),
    path("security/", views_security.account_security, name="account-security"),
    path("security/recovery-codes/", views_security.recovery_codes_renew, name="recovery-codes-renew"),
    path("security/two-step/off/", views_security.mfa_turn_off, name="mfa-turn-off"),
]
