from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Membership, User


def _has_never_signed_in(user: User) -> bool:
    return user.last_login is None and not user.has_usable_password()


def invitation_link(membership: Membership) -> str:
    """Where the invitee answers: a new account chooses a password (which accepts), others open the invitation.

    The password link carries Django's password-reset token, so no token table: it works once, expires after
    PASSWORD_RESET_TIMEOUT, and only for the person it was sent to.
    """
    user = membership.user
    if not _has_never_signed_in(user):
        return settings.SITE_URL + reverse("invitation", kwargs={"membership_id": membership.id})
    path = reverse(
        "invitation-password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
            "membership_id": membership.id,
        },
    )
    return settings.SITE_URL + path


def invitation_send(*, membership_id: int) -> None:
    """Email an invitation: a new account gets a link to choose a password, others a link to accept or decline."""
    membership = Membership.objects.select_related("user", "organization", "invited_by").get(pk=membership_id)
    if not membership.is_pending:
        return  # Withdrawn, declined or accepted before we got here: nothing to send.
    context = {
        "membership": membership,
        "link": invitation_link(membership),
        "new_account": _has_never_signed_in(membership.user),
    }
    message = EmailMultiAlternatives(
        subject=f"You have been invited to {membership.organization} on JMHCP Workflow",
        body=render_to_string("accounts/email/invitation.txt", context),
        to=[membership.user.email],
    )
    message.attach_alternative(render_to_string("accounts/email/invitation.html", context), "text/html")
    message.send()
