"""Server-rendered pages: the dashboard, organization member management and answering an invitation.

They call the same services as the API; a service error is shown next to the
field it names (or at the top of the form), and nothing is saved. A refusal
(not an admin, not found) gets the refusal page (``config.refusals``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.forms import InviteForm, RoleForm
from accounts.models import Membership, MembershipStatus, Organization
from config.confirm import Confirmation, confirm_page
from config.errors import Conflict, NotFound, ServiceError
from config.forms import apply_error
from config.refusals import REFUSALS, refusal


def _organization(request, organization_id: int) -> Organization:
    return get_object_or_404(selectors.organization_list_for_user(user=request.user), pk=organization_id)


def _members_page(organization: Organization) -> tuple[str, str]:
    return reverse("organization-members", args=[organization.pk]), f"the members of {organization}"


def _members_back(organization: Organization) -> tuple[str, str]:
    """The way back from a confirmation page: its breadcrumb and Cancel."""
    return reverse("organization-members", args=[organization.pk]), f"Members of {organization}"


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE).

    The API keeps its JSON error shape; the page says how long to wait in words (axes would give "PT15M").
    """
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    if request.path.startswith("/api/"):
        message = f"Too many failed sign-in attempts. Try again in {minutes} minutes."
        return JsonResponse({"code": "throttled", "message": message, "errors": []}, status=429)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


@login_required
def dashboard(request):
    """The role dashboard: the user's organizations, then each domain app's section (settings.DASHBOARD_SECTIONS)."""
    memberships = selectors.request_memberships(request)
    invitations = selectors.request_invitations(request)
    sections = [section for path in settings.DASHBOARD_SECTIONS if (section := import_string(path)(request))]
    context = {"memberships": memberships, "invitations": invitations, "sections": sections}
    return render(request, "accounts/dashboard.html", context)


@login_required
def organization_members(request, organization_id: int):
    organization = _organization(request, organization_id)
    can_administer = selectors.user_can_administer(user=request.user, organization=organization)
    form = InviteForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_invite(actor=request.user, organization=organization, **form.cleaned_data)
        except REFUSALS as error:
            return refusal(request, error, back=_members_page(organization))
        except (ServiceError, ValidationError) as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                f"{membership.user.email} was added as {membership.get_role_display()}. "
                "They join when they accept the invitation we emailed them.",
            )
            return redirect("organization-members", organization_id=organization.id)
    status = 400 if request.method == "POST" else 200
    context = {
        "organization": organization,
        "members": selectors.membership_list(organization=organization).order_by("-is_active", "user__full_name"),
        "can_administer": can_administer,
        "form": form,
        "role_form": RoleForm(organization=organization),
    }
    return render(request, "accounts/organization_members.html", context, status=status)


def _membership(request, organization_id: int, membership_id: int) -> Membership:
    organization = _organization(request, organization_id)
    return get_object_or_404(selectors.membership_list(organization=organization), pk=membership_id)


@login_required
@require_POST
def membership_role_update(request, organization_id: int, membership_id: int):
    membership = _membership(request, organization_id, membership_id)
    form = RoleForm(request.POST, organization=membership.organization)
    if not form.is_valid():
        messages.error(request, f"{membership.user}: {form.errors['role'][0]}")
        return redirect("organization-members", organization_id=organization_id)
    try:
        services.membership_change_role(actor=request.user, membership=membership, role=form.cleaned_data["role"])
    except REFUSALS as error:
        return refusal(request, error, back=_members_page(membership.organization))
    except ServiceError as error:
        messages.error(request, f"{membership.user}: {error.message}")
    else:
        messages.success(request, f"{membership.user} is now {form.cleaned_data['role']}.")
    return redirect("organization-members", organization_id=organization_id)


def _confirm_membership_change(request, membership: Membership, confirmation: Confirmation, *, call, done):
    """Remove or restore a member's access on its confirmation page (``config.confirm``): only the organization's
    admins see it; a refusal (the last admin) comes back on it."""
    organization = membership.organization
    return confirm_page(
        request,
        confirmation,
        allowed=lambda: services.members_manage_require(actor=request.user, organization=organization),
        call=lambda _: call(actor=request.user, membership=membership),
        done=done,
        then=lambda _: reverse("organization-members", args=[organization.pk]),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def membership_deactivate(request, organization_id: int, membership_id: int):
    membership = _membership(request, organization_id, membership_id)
    user, organization = membership.user, membership.organization
    if membership.is_pending:
        confirmation = Confirmation(
            title=f"Withdraw the invitation of {user}",
            happens=f"The invitation's link stops working: {user} does not join {organization}.",
            lasting="A withdrawn invitation cannot be accepted any more; you would invite them again.",
            button="Withdraw the invitation",
            back=_members_back(organization),
        )
    else:
        confirmation = Confirmation(
            title=f"Remove the access of {user} to {organization}",
            happens=(
                f"From their next page, {user} no longer sees {organization}'s work nor acts for it. Their account and "
                "what they did stay on the record, and an administrator can restore their access later."
            ),
            button="Remove access",
            back=_members_back(organization),
        )

    def done(changed: Membership) -> str:
        if changed.status == MembershipStatus.WITHDRAWN:
            return f"The invitation of {changed.user} was withdrawn."
        return f"{changed.user} no longer has access to {changed.organization}."

    return _confirm_membership_change(request, membership, confirmation, call=services.membership_deactivate, done=done)


def _invitation(request, membership_id: int) -> Membership:
    """One of the signed-in user's own invitations, answered or not; anyone else's is not found."""
    return get_object_or_404(
        selectors.invitation_list_for_user(user=request.user, waiting_only=False), pk=membership_id
    )


@login_required
def invitation(request, membership_id: int):
    """The page an invitation email links to: who invited you where, with Accept and Decline."""
    return render(request, "accounts/invitation.html", {"invitation": _invitation(request, membership_id)})


@login_required
@require_POST
def invitation_answer(request, membership_id: int, answer: str):
    membership = _invitation(request, membership_id)
    service = services.membership_accept if answer == "accept" else services.membership_decline
    try:
        membership = service(actor=request.user, membership=membership)
    except NotFound:
        raise Http404 from None
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("invitation", membership_id=membership.id)
    except ValidationError as error:  # The role no longer fits: site staff changed the organization's kind since.
        messages.error(request, " ".join(error.messages))
        return redirect("invitation", membership_id=membership.id)
    if answer == "accept":
        messages.success(request, f"You joined {membership.organization} as {membership.get_role_display()}.")
    else:
        messages.success(request, f"You declined the invitation to {membership.organization}.")
    return redirect("dashboard")


class InvitationPasswordView(PasswordResetConfirmView):
    """A new account's invitation link: choosing a password accepts the invitation the email was about.

    Django's password-reset view checks the token (and moves it out of the URL into the session); once the
    password is saved, the invitation is accepted for the user the token belongs to, never for anyone else.
    """

    def form_valid(self, form):
        response = super().form_valid(form)
        invitations = selectors.invitation_list_for_user(user=self.user, waiting_only=False)
        membership = invitations.filter(pk=self.kwargs["membership_id"]).first()
        if membership is None:
            return response  # Not theirs (or gone): the password is set all the same.
        try:
            membership = services.membership_accept(actor=self.user, membership=membership)
        except (Conflict, ValidationError) as error:
            # Withdrawn meanwhile or already answered; or its role no longer fits the organization's kind.
            messages.info(self.request, getattr(error, "message", None) or " ".join(error.messages))
        else:
            messages.success(self.request, f"You joined {membership.organization} as {membership.get_role_display()}.")
        return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def membership_reactivate(request, organization_id: int, membership_id: int):
    membership = _membership(request, organization_id, membership_id)
    user, organization = membership.user, membership.organization
    confirmation = Confirmation(
        title=f"Restore the access of {user} to {organization}",
        happens=f"{user} sees {organization}'s work and acts for it again, as {membership.get_role_display()}.",
        button="Restore access",
        back=_members_back(organization),
        destructive=False,
    )
    return _confirm_membership_change(
        request,
        membership,
        confirmation,
        call=services.membership_reactivate,
        done=lambda changed: f"{changed.user} has access to {changed.organization} again.",
    )
