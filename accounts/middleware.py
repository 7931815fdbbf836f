"""The two-step rule for pages and the session-authenticated API."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts import security_log
from accounts.mfa import second_factor, session_mfa_done

# What a session that still owes its second factor may reach: the two-step pages, sign-in and sign-out,
# the health check. Static files are served before any of this (whitenoise).
OPEN_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "mfa-verify",
        "mfa-setup",
        "mfa-recovery-codes",
        "oidc-start",
        "oidc-callback",
        "healthz",
        # The token endpoint asks for the second factor itself (accounts.api.TokenView).
        "api-token",
    }
)


class SecondFactorMiddleware:
    """After a password sign-in, a user who must use a second factor (or has one) sees only the two-step pages.

    A session that showed its second factor, or signed in through Login.gov, passes without a query. API
    requests with a token are not concerned: their user is known only inside the view, and a token is issued
    only with the code (accounts.api.TokenView).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        session = getattr(request, "session", None)
        if session is None or not session.get(SESSION_KEY) or session_mfa_done(session):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in OPEN_URL_NAMES:
            return None
        if not request.user.is_authenticated:
            return None
        state = second_factor(request.user)
        if not state.owed:
            return None
        if request.path.startswith("/api/"):
            message = "Finish two-step verification on the website before using the API with this session."
            error = {"field": None, "code": "mfa_required", "message": message}
            return JsonResponse({"code": "mfa_required", "message": message, "errors": [error]}, status=403)
        target = reverse("mfa-verify" if state.enrolled else "mfa-setup")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


class SecurityLogContextMiddleware:
    """Lets the security log read the client's address and browser wherever a service records an event."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        token = security_log.current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            security_log.current_request.reset(token)
