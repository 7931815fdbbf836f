"""The security log: the one writer (`security_event_record`) and the reads behind its page and API.

Every service that signs someone in, refuses a sign-in, changes a second factor, an API token, a role or a
case grant, or hands out an export, calls `security_event_record` in its own transaction. An event is shown
in the log of each organization it concerns: by default the active organizations of the account concerned
and of the actor, so a member's failed sign-ins reach their organization's admins.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar

from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import (
    Membership,
    Organization,
    SecurityEvent,
    SecurityEventKind,
    SecurityEventOrganization,
    User,
)
from accounts.selectors import user_can_administer
from config.errors import NotAllowed

USER_AGENT_LENGTH = SecurityEvent._meta.get_field("user_agent").max_length
# The request being served, set by SecurityLogContextMiddleware, so that services deep in a call (a role
# change, a case grant, an export) record the client's address without every signature carrying a request.
current_request: ContextVar[HttpRequest | None] = ContextVar("security_log_request", default=None)


def _client(request: HttpRequest | None) -> tuple[str | None, str]:
    """REMOTE_ADDR and the user agent. X-Forwarded-For is not read: any client can write it."""
    request = request if request is not None else current_request.get()
    if request is None:
        return None, ""
    meta = request.META
    return meta.get("REMOTE_ADDR") or None, meta.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH]


def _member_organizations(users: Iterable[User | None]) -> set[int]:
    ids = [user.pk for user in users if user is not None and user.pk]
    if not ids:
        return set()
    return set(Membership.objects.active().filter(user_id__in=ids).values_list("organization_id", flat=True).distinct())


def security_event_record(
    *,
    kind: str,
    request: HttpRequest | None = None,
    actor: User | None = None,
    user: User | None = None,
    email: str = "",
    organizations: Iterable[Organization | int] | None = None,
    details: dict | None = None,
) -> SecurityEvent:
    """Append one event. `organizations` None means those of `user` and `actor`; give them to narrow.

    `request` defaults to the one being served (None in a Celery task: no address then).
    """
    ip_address, user_agent = _client(request)
    event = SecurityEvent(
        kind=SecurityEventKind(kind),
        actor=actor if actor is not None and actor.pk else None,
        user=user,
        email=(email or (user.email if user is not None else ""))[:254],
        ip_address=ip_address,
        user_agent=user_agent,
        details=details or {},
    )
    event.full_clean()
    event.save()
    if organizations is None:
        organization_ids = _member_organizations([user, event.actor])
    else:
        organization_ids = {item.pk if isinstance(item, Organization) else item for item in organizations}
    SecurityEventOrganization.objects.bulk_create(
        SecurityEventOrganization(event=event, organization_id=organization_id)
        for organization_id in sorted(organization_ids)
    )
    return event


def security_event_list(*, actor: User, organization: Organization, kind: str | None = None) -> QuerySet[SecurityEvent]:
    """The organization's log, newest first (ids grow with time), for its admins and site staff.

    `organization` must already have been looked up through `Organization.objects.visible_to(actor)`, so an
    outsider was answered 404 before this; a member who is not an admin is refused here (403).
    """
    if not user_can_administer(user=actor, organization=organization):
        raise NotAllowed("Only an administrator of this organization can read its security log.")
    events = SecurityEvent.objects.filter(organization_links__organization=organization)
    if kind:
        events = events.filter(kind=kind)
    return events.select_related("actor", "user").order_by("-id")


def failed_sign_in_record(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    """Django's `user_login_failed` receiver: a wrong password, second-factor code or refused Login.gov email.

    Connected after django-axes' own receiver, so `axes_locked_out` already says whether this failure locked
    the email at this address.
    """
    email = str(credentials.get("username") or "").strip().lower()
    user = User.objects.filter(email__iexact=email).first() if email else None
    details = {"method": credentials.get("method", "password"), "factor": credentials.get("factor", "password")}
    if credentials.get("reason"):
        details["reason"] = credentials["reason"]
    if getattr(request, "axes_locked_out", False):
        details["locked_out"] = True
    security_event_record(
        kind=SecurityEventKind.SIGN_IN_FAILED, request=request, user=user, email=email, details=details
    )


def export_record(*, actor: User, export: str, **details) -> SecurityEvent:
    """One line for each export view: who took which data out, in the log of their organizations."""
    return security_event_record(kind=SecurityEventKind.EXPORT, actor=actor, details={"export": export, **details})
