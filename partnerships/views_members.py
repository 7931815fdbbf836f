"""Remove a partnership member added by mistake, and add it back: two buttons on the partnership page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import Organization
from partnerships.services import members
from partnerships.views import _partnership, run


def _organization(request: HttpRequest) -> Organization:
    given = str(request.POST.get("organization", ""))
    organization = Organization.objects.filter(pk=int(given)).first() if given.isdigit() else None
    if organization is None:
        raise Http404("Organization not found.")
    return organization


def _members_section(partnership) -> HttpResponse:
    return redirect(reverse("partnership-detail", args=[partnership.pk]) + "#members")


@require_POST
@login_required
def member_remove(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id)
    organization = _organization(request)
    return run(
        request,
        case=partnership.case,
        action=lambda: members.partnership_member_remove(
            partnership=partnership, organization=organization, actor=request.user
        ),
        success=lambda _: f"{organization} was removed from the partnership; its staff no longer see it.",
        then=lambda _: _members_section(partnership),
        on_error=lambda: _members_section(partnership),
    )


@require_POST
@login_required
def member_restore(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id)
    organization = _organization(request)
    return run(
        request,
        case=partnership.case,
        action=lambda: members.partnership_member_restore(
            partnership=partnership, organization=organization, actor=request.user
        ),
        success=lambda member: f"{member.organization} is a member again.",
        then=lambda _: _members_section(partnership),
        on_error=lambda: _members_section(partnership),
    )
