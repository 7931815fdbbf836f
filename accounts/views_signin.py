"""Signing in: the password form, its second step, and Login.gov (OpenID Connect).

A password sign-in of someone who has an authenticator is not a sign-in yet: the session only remembers who
passed the first step, for a few minutes, and `login()` happens after the code. Someone who must use a
second factor but has none is signed in and sent to set one up; SecondFactorMiddleware keeps them there.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_safe

from accounts import mfa, oidc
from accounts.forms import SecondFactorForm
from accounts.models import SecurityEventKind, User
from accounts.security_log import security_event_record
from accounts.views import lockout_response

PENDING_SESSION_KEY = "mfa_pending"
PENDING_SECONDS = 300
NEXT_SESSION_KEY = "sign_in_next"
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


def safe_next(request: HttpRequest, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def signed_in(
    request: HttpRequest, *, user: User, backend: str, method: str, factor: str = "", acr: str = "", subject: str = ""
):
    """Log the user in, note on the session what they proved, and write the sign-in to the security log."""
    was_pending = user.last_login is None and not user.has_usable_password()
    login(request, user, backend=backend)
    multi_factor = bool(factor)
    mfa.session_assurance_record(request.session, method=method, mfa=multi_factor, factor=factor, acr=acr)
    details = {"method": method, "mfa": multi_factor, "factor": factor}
    if acr:
        details["acr"] = acr
    if subject:
        details["subject"] = subject  # The provider's stable id of the person (Login.gov's UUID).
    if was_pending:
        details["invitation_accepted"] = True
    security_event_record(kind=SecurityEventKind.SIGN_IN, request=request, actor=user, user=user, details=details)


class SignInView(LoginView):
    """Django's sign-in form, with the second step and the Login.gov button beside it."""

    template_name = "registration/login.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc.oidc_enabled()
        context["oidc_provider_name"] = settings.OIDC_PROVIDER_NAME
        return context

    def form_valid(self, form):
        user = form.get_user()
        next_url = self.get_success_url()
        state = mfa.second_factor(user)
        if state.enrolled:
            self.request.session[PENDING_SESSION_KEY] = {"user": user.pk, "backend": user.backend, "at": time.time()}
            return redirect(_with_next("mfa-verify", next_url))
        signed_in(self.request, user=user, backend=user.backend, method="password")
        if state.required:
            return redirect(_with_next("mfa-setup", next_url))
        return redirect(next_url)


def _pending_user(request: HttpRequest) -> tuple[User | None, str]:
    """Who is between the two steps: from the first step's note, or a signed-in session that owes the code."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if pending and time.time() - pending["at"] < PENDING_SECONDS:
        user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
        return user, pending["backend"]
    if request.user.is_authenticated and not mfa.session_mfa_done(request.session):
        return request.user, request.session.get("_auth_user_backend", PASSWORD_BACKEND)
    return None, ""


@sensitive_post_parameters("otp")
@csrf_protect
@never_cache
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app or a recovery code."""
    user, backend = _pending_user(request)
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if user is None:
        messages.info(request, "Your sign-in expired. Enter your email and password again.")
        return redirect(_with_next("login", next_url))
    if not mfa.second_factor(user).enrolled:
        return redirect(_with_next("mfa-setup", next_url))
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        credentials = {"username": user.email}
        if not AxesProxyHandler.is_allowed(request, credentials):
            request.session.pop(PENDING_SESSION_KEY, None)
            return lockout_response(request, credentials=credentials)
        factor = mfa.mfa_verify(user=user, code=form.cleaned_data["otp"], request=request)
        if factor is not None:
            request.session.pop(PENDING_SESSION_KEY, None)
            signed_in(request, user=user, backend=backend, method="password", factor=factor)
            if factor == "recovery":
                left = mfa.recovery_codes_left(user=user)
                messages.warning(
                    request,
                    f"You used a recovery code; {left} left. Make new ones from Sign-in and security if you "
                    "are running out.",
                )
            return redirect(next_url)
        form.add_error("otp", "That code is not right, or it was already used. Check your app and try again.")
    status = 400 if form.errors else 200
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": next_url}, status=status)


@require_safe
def oidc_start(request: HttpRequest) -> HttpResponse:
    """Send the browser to Login.gov. The page to return to is kept on the session."""
    if not oidc.oidc_enabled():
        raise Http404("Sign-in with OpenID Connect is not configured.")
    request.session[NEXT_SESSION_KEY] = safe_next(request, request.GET.get("next"))
    try:
        return oidc.oidc_authorize_redirect(request=request)
    except oidc.OidcError as error:
        messages.error(request, error.message)
        return redirect("login")


@require_safe
@never_cache
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """Back from Login.gov: check what it says, map the verified email to an account, sign in."""
    if not oidc.oidc_enabled():
        raise Http404("Sign-in with OpenID Connect is not configured.")
    try:
        identity = oidc.oidc_identity_from_callback(request=request)
    except oidc.OidcError as error:
        messages.error(request, error.message)
        return redirect("login")
    credentials = {"username": identity.email, "method": "oidc"}
    if identity.email and not AxesProxyHandler.is_allowed(request, credentials):
        return lockout_response(request, credentials=credentials)
    try:
        user = oidc.oidc_user_for_identity(identity=identity)
    except oidc.SignInRefused as error:
        # A failed sign-in like a wrong password: django-axes counts it, the security log records it.
        user_login_failed.send(sender=__name__, credentials={**credentials, "reason": error.code}, request=request)
        messages.error(request, error.message)
        return redirect("login")
    next_url = request.session.pop(NEXT_SESSION_KEY, None) or reverse(settings.LOGIN_REDIRECT_URL)
    request.session.pop(PENDING_SESSION_KEY, None)
    # Login.gov requires MFA for every sign-in, so this session has shown a second factor.
    signed_in(
        request,
        user=user,
        backend=PASSWORD_BACKEND,
        method="oidc",
        factor="oidc",
        acr=identity.acr,
        subject=identity.subject,
    )
    return redirect(safe_next(request, next_url))


def admin_login_redirect(request: HttpRequest) -> HttpResponse:
    """The admin site signs in through the same door as everyone (second step and security log included)."""
    return redirect(_with_next("login", request.GET.get("next") or reverse("admin:index")))
