"""Remove a partnership member added by mistake, and add it back: links on the partnership page to a confirmation
page each (``config.confirm``), so no organization loses or gets access in one click."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.models import Organization
from config.confirm import Confirmation, confirm_page
from partnerships.services import members
from partnerships.views import _partnership
from workflow.participants import participant_removable, participant_restorable

PAGE_METHODS = ["GET", "HEAD", "POST"]


def _members_section(partnership) -> str:
    return reverse("partnership-detail", args=[partnership.pk]) + "#members"


@login_required
@require_http_methods(PAGE_METHODS)
def member_remove(request: HttpRequest, partnership_id: int, organization_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id)
    organization = get_object_or_404(Organization, pk=organization_id)
    confirmation = Confirmation(
        title=f"Remove {organization} from the partnership",
        happens=(
            f"{organization} stops being a member of “{partnership.case.title}”: from this moment its staff no longer "
            "see the partnership, its agreements, assessments or documents. Its assessments stay on the record, and "
            "you can add it back later with the role and responsibilities it has now."
        ),
        button="Remove the member",
        back=(_members_section(partnership), partnership.case.title),
        reason="Why is it removed?",
    )
    return confirm_page(
        request,
        confirmation,
        allowed=lambda: participant_removable(case=partnership.case, organization=organization, actor=request.user),
        call=lambda reason: members.partnership_member_remove(
            partnership=partnership, organization=organization, actor=request.user, reason=reason
        ),
        done=lambda _: f"{organization} was removed from the partnership; its staff no longer see it.",
        then=lambda _: _members_section(partnership),
    )


@login_required
@require_http_methods(PAGE_METHODS)
def member_restore(request: HttpRequest, partnership_id: int, organization_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id)
    organization = get_object_or_404(Organization, pk=organization_id)
    confirmation = Confirmation(
        title=f"Add {organization} back to the partnership",
        happens=(
            f"{organization} becomes a member of “{partnership.case.title}” again, with the role and responsibilities "
            "it had: its staff see the partnership again from this moment."
        ),
        button="Add it back",
        back=(_members_section(partnership), partnership.case.title),
        destructive=False,
    )
    return confirm_page(
        request,
        confirmation,
        allowed=lambda: participant_restorable(case=partnership.case, organization=organization, actor=request.user),
        call=lambda _: members.partnership_member_restore(
            partnership=partnership, organization=organization, actor=request.user
        ),
        done=lambda member: f"{member.organization} is a member again.",
        then=lambda _: _members_section(partnership),
    )
