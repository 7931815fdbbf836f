"""Pages of one's own sign-in security (two-step verification, recovery codes) and an organization's log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from accounts import mfa, selectors
from accounts.forms import EnrolmentForm, SecondFactorForm
from accounts.models import SecurityEventKind
from accounts.security_log import security_event_list
from accounts.views_signin import safe_next
from config.errors import NotAllowed, ServiceError
from config.forms import apply_error
from config.paging import page_context
from config.refusals import refusal

ENROLMENT_SESSION_KEY = "mfa_enrolment_device"
NEW_CODES_SESSION_KEY = "mfa_new_recovery_codes"
SECURITY_LOG_PAGE_SIZE = 50


@login_required
@require_safe
def account_security(request: HttpRequest) -> HttpResponse:
    """Sign-in and security: how this session signed in, two-step verification, recovery codes."""
    state = mfa.second_factor(request.user)
    context = {
        "state": state,
        "assurance": mfa.session_assurance(request.session),
        "recovery_left": mfa.recovery_codes_left(user=request.user) if state.enrolled else 0,
        "remove_form": SecondFactorForm(),
    }
    return render(request, "accounts/account_security.html", context)


@sensitive_post_parameters("otp")
@login_required
@never_cache
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: show the secret (as text and as a QR code), confirm with a code."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    state = mfa.second_factor(request.user)
    if state.enrolled and not mfa.session_mfa_done(request.session):
        # Replacing an authenticator needs the current one first: the middleware's second step.
        return redirect(f"{reverse('mfa-verify')}?next={reverse('mfa-setup')}")
    device = mfa.mfa_enrolment_start(user=request.user, device_id=request.session.get(ENROLMENT_SESSION_KEY))
    request.session[ENROLMENT_SESSION_KEY] = device.pk
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa.mfa_enrolment_confirm(
                user=request.user, device_id=device.pk, code=form.cleaned_data["otp"], request=request
            )
        except ServiceError as error:
            apply_error(form, error)
        else:
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            mfa.session_assurance_record(request.session, method="password", mfa=True, factor="totp")
            request.session[NEW_CODES_SESSION_KEY] = {"codes": codes, "next": next_url}
            return redirect("mfa-recovery-codes")
    context = {
        "form": form,
        "next": next_url,
        "required": state.required,
        "replacing": state.enrolled,
        "secret": mfa.totp_secret(device),
        "qr_code": mfa.totp_qr_data_uri(device),
    }
    return render(request, "accounts/mfa_setup.html", context, status=400 if form.errors else 200)


@login_required
@never_cache
@require_safe
def mfa_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once: they leave the session as this page is drawn."""
    shown = request.session.pop(NEW_CODES_SESSION_KEY, None)
    if not shown:
        messages.info(request, "Recovery codes are shown only once. Make new ones if you have lost them.")
        return redirect("account-security")
    return render(request, "accounts/mfa_recovery_codes.html", shown)


@login_required
@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    try:
        codes = mfa.recovery_codes_create(user=request.user, request=request)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("account-security")
    request.session[NEW_CODES_SESSION_KEY] = {"codes": codes, "next": reverse("account-security")}
    return redirect("mfa-recovery-codes")


@sensitive_post_parameters("otp")
@login_required
@require_POST
def mfa_turn_off(request: HttpRequest) -> HttpResponse:
    form = SecondFactorForm(request.POST)
    if form.is_valid():
        try:
            mfa.mfa_remove(user=request.user, code=form.cleaned_data["otp"], request=request)
        except ServiceError as error:
            apply_error(form, error)
        else:
            messages.success(request, "Two-step verification is off.")
            return redirect("account-security")
    state = mfa.second_factor(request.user)
    context = {
        "state": state,
        "assurance": mfa.session_assurance(request.session),
        "recovery_left": mfa.recovery_codes_left(user=request.user) if state.enrolled else 0,
        "remove_form": form,
    }
    return render(request, "accounts/account_security.html", context, status=400)


@login_required
@require_safe
def organization_security_log(request: HttpRequest, organization_id: int) -> HttpResponse:
    """The organization's security log for its admins and site staff; outsiders 404, other members 403."""
    organization = get_object_or_404(selectors.organization_list_for_user(user=request.user), pk=organization_id)
    kind = request.GET.get("kind") or None
    if kind not in SecurityEventKind.values:
        kind = None
    try:
        events = security_event_list(actor=request.user, organization=organization, kind=kind)
    except NotAllowed as error:
        return refusal(
            request, error, back=(reverse("organization-members", args=[organization.pk]), organization.name)
        )
    context = {
        "organization": organization,
        "kind": kind or "",
        "kinds": SecurityEventKind.choices,
        **page_context(request, events, SECURITY_LOG_PAGE_SIZE),
    }
    return render(request, "accounts/security_log.html", context)
