"""Multi-factor authentication: who must use it, what a session has proved, and the second-factor writes.

A password is one factor. The second is a code from an authenticator app (django-otp's TOTP device) or one
of ten recovery codes, each usable once (its static device). Site staff and the roles in
``settings.MFA_REQUIRED_ROLES`` (organization admins and BJA grant managers by default) must have one; anyone
else may set one up. A sign-in through Login.gov counts as multi-factor: Login.gov itself requires MFA.

What the current sign-in proved is kept on the session (`session_assurance`), so the middleware answers
without a query once the second factor is done. A session without that record (an old one, the admin's
own login form) owes the second factor like a fresh password sign-in: the safe default.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from accounts.models import Membership, SecurityEventKind, User
from accounts.security_log import security_event_record
from config.errors import Conflict, ServiceError

ASSURANCE_SESSION_KEY = "auth_assurance"
RECOVERY_DEVICE_NAME = "Recovery codes"


# --- The rule -------------------------------------------------------------------------------------------


def mfa_required_filter(prefix: str = "") -> Q:
    """Users who must use a second factor: site staff, and active holders of a required role."""
    roles = Membership.objects.active().filter(user=OuterRef("pk"), role__in=settings.MFA_REQUIRED_ROLES)
    return Q(**{f"{prefix}is_staff": True}) | Q(Exists(roles))


@dataclass(frozen=True)
class SecondFactor:
    required: bool
    enrolled: bool

    @property
    def owed(self) -> bool:
        return self.required or self.enrolled


def second_factor(user: User) -> SecondFactor:
    """Whether the user must use a second factor and whether they have one: one query."""
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            required=ExpressionWrapper(mfa_required_filter(), output_field=BooleanField()),
            enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        )
        .values("required", "enrolled")
        .first()
    )
    return SecondFactor(required=bool(row and row["required"]), enrolled=bool(row and row["enrolled"]))


# --- What the session proved ----------------------------------------------------------------------------


def session_assurance_record(session, *, method: str, mfa: bool, factor: str = "", acr: str = "") -> None:
    """Record how this session signed in: `method` password or oidc; `mfa` whether a second factor was shown."""
    session[ASSURANCE_SESSION_KEY] = {
        "method": method,
        "mfa": mfa,
        "factor": factor,
        "acr": acr,
        "at": timezone.now().isoformat(),
    }


def session_assurance(session) -> dict:
    return session.get(ASSURANCE_SESSION_KEY) or {}


def session_mfa_done(session) -> bool:
    return bool(session_assurance(session).get("mfa"))


# --- Reading a code -------------------------------------------------------------------------------------


def _normalized(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _totp_verify(user: User, code: str) -> bool:
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    # verify_token refuses a code already used (last_t) and throttles the device after each failure.
    return device is not None and device.verify_token(code)


def _recovery_verify(user: User, code: str) -> bool:
    device = StaticDevice.objects.select_for_update().filter(user=user, name=RECOVERY_DEVICE_NAME).first()
    return device is not None and device.verify_token(code)  # A matching token is deleted: usable once.


def mfa_verify(*, user: User, code: str, request: HttpRequest | None, method: str = "password") -> str | None:
    """Check a second-factor code: "totp" or "recovery" when it is good, None otherwise.

    A wrong code is a failed sign-in for django-axes (five lock the email at that address) and for the
    security log, through Django's `user_login_failed` signal.
    """
    code = _normalized(code or "")
    with transaction.atomic():
        if code.isdigit() and len(code) == 6:
            factor = "totp" if _totp_verify(user, code) else None
        else:
            factor = "recovery" if code and _recovery_verify(user, code) else None
    if factor is None:
        user_login_failed.send(
            sender=__name__, credentials={"username": user.email, "method": method, "factor": "otp"}, request=request
        )
    elif factor == "recovery":
        left = recovery_codes_left(user=user)
        security_event_record(
            kind=SecurityEventKind.RECOVERY_CODE_USED, request=request, actor=user, user=user, details={"left": left}
        )
    return factor


def recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE_NAME).count()


# --- Enrolment ------------------------------------------------------------------------------------------


@transaction.atomic
def mfa_enrolment_start(*, user: User, device_id: int | None = None) -> TOTPDevice:
    """The unconfirmed authenticator being set up: the one this session started, or a new secret."""
    if device_id is not None:
        device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
        if device is not None:
            return device
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice(user=user, name="Authenticator app", confirmed=False)
    device.full_clean()
    device.save()
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The secret as people type it into an authenticator app: base32 in groups of four."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code, drawn on the server (no JavaScript, no outside service)."""
    out = io.BytesIO()
    write_qrcode_image(device.config_url, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


@transaction.atomic
def mfa_enrolment_confirm(*, user: User, device_id: int | None, code: str, request: HttpRequest | None) -> list[str]:
    """Confirm the new authenticator with a code it shows; it replaces any earlier one. Returns recovery codes."""
    device = (
        TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
        if device_id
        else None
    )
    if device is None:
        raise Conflict("This setup has expired. Start again.", code="enrolment_expired", field="otp")
    code = _normalized(code or "")
    if not (code.isdigit() and len(code) == 6 and device.verify_token(code)):
        raise ServiceError(
            "That code does not match. Enter the 6-digit code your app shows now.", code="invalid_otp", field="otp"
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_replace(user)
    security_event_record(kind=SecurityEventKind.MFA_ENROLLED, request=request, actor=user, user=user)
    return codes


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.MFA_RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def recovery_codes_create(*, user: User, request: HttpRequest | None) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if not second_factor(user).enrolled:
        raise Conflict("Set up an authenticator app first.", code="mfa_not_enrolled")
    codes = _recovery_codes_replace(user)
    security_event_record(kind=SecurityEventKind.RECOVERY_CODES_CREATED, request=request, actor=user, user=user)
    return codes


def mfa_remove(*, user: User, code: str, request: HttpRequest | None) -> None:
    """Turn two-step verification off, proved by a current code. Refused to those who must keep it."""
    state = second_factor(user)
    if state.required:
        raise Conflict(
            "Your role requires two-step verification. You can replace your authenticator app instead.",
            code="mfa_required",
        )
    if not state.enrolled:
        raise Conflict("Two-step verification is not on.", code="mfa_not_enrolled")
    if mfa_verify(user=user, code=code, request=request) is None:
        raise ServiceError("That code is not right.", code="invalid_otp", field="otp")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        security_event_record(kind=SecurityEventKind.MFA_REMOVED, request=request, actor=user, user=user)
