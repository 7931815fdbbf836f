from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Membership


def invitation_send(*, membership_id: int) -> None:
    """Email a newly invited person a link to choose a password (Django's password-reset token)."""
    membership = Membership.objects.select_related("user", "organization", "invited_by").get(pk=membership_id)
    user = membership.user
    if not membership.is_active or user.has_usable_password():
        return  # Revoked before we got here, or already accepted: nothing to send.
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"membership": membership, "link": settings.SITE_URL + path}
    message = EmailMultiAlternatives(
        subject=f"You have been invited to {membership.organization} on JMHCP Workflow",
        body=render_to_string("accounts/email/invitation.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("accounts/email/invitation.html", context), "text/html")
    message.send()
