"""The dashboard section (settings.DASHBOARD_SECTIONS): partnerships, assessments waiting, the TA queue."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import Membership
from partnerships.choices import ASSESSMENT_CHECKLISTS, AssessmentStatus
from partnerships.models import Assessment, PartnershipMember
from partnerships.rules import STAFF_ROLES
from partnerships.selectors.partnerships import partnership_list
from partnerships.selectors.ta import OPEN_STAGES, ta_queue, ta_request_list, ta_user_coordinates
from workflow.access import EDIT, organization_ids
from workflow.models import Case

SHOWN = 10


def assessments_waiting(*, user) -> list[PartnershipMember]:
    """Memberships of the user's organizations that owe an assessment: none submitted yet, or a draft open."""
    own = Membership.objects.active().filter(user=user, role__in=STAFF_ROLES).values("organization_id")
    members = list(
        PartnershipMember.objects.filter(
            organization__in=own,
            organization__kind__in=list(ASSESSMENT_CHECKLISTS),
            partnership__case__in=Case.objects.visible_to(user, EDIT).filter(closed_at__isnull=True).values("id"),
        ).select_related("organization", "partnership__case")
    )
    done = {
        (row["partnership_id"], row["organization_id"]): row["status"]
        for row in Assessment.objects.filter(partnership__in=[m.partnership_id for m in members], organization__in=own)
        .values("partnership_id", "organization_id", "status")
        .order_by("status")
    }  # Ordered so that "submitted" (after "draft") wins: a member with one submitted is not waiting.
    return [m for m in members if done.get((m.partnership_id, m.organization_id)) != AssessmentStatus.SUBMITTED][:SHOWN]


def section(request: HttpRequest) -> dict | None:
    user = request.user
    partnerships = list(partnership_list(user=user).filter(case__closed_at__isnull=True)[:SHOWN])
    mine = organization_ids(user)
    if ta_user_coordinates(user=user):
        # A coordinator's queue and own requests are both open requests they see: one read, split here.
        open_requests = list(ta_request_list(user=user).filter(case__stage__in=OPEN_STAGES))
        queue = ta_queue(user=user, open_requests=open_requests)
        own_requests = [request for request in open_requests if request.case.organization_id in mine][:SHOWN]
    else:
        queue = None
        own_requests = list(
            ta_request_list(user=user).filter(case__organization__in=mine, case__stage__in=OPEN_STAGES)[:SHOWN]
        )
    waiting = assessments_waiting(user=user)
    if not (partnerships or queue or own_requests):
        return None
    return {
        "template": "partnerships/dashboard_section.html",
        "context": {
            "partnerships": partnerships,
            "waiting": waiting,
            "queue": queue,
            "own_requests": own_requests,
        },
    }
