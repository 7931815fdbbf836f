"""Reads on TA requests: lists, the coordinators' queue with its clocks, Learning Sites and their load."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Membership, Organization, OrganizationKind, User
from accounts.selectors import membership_rows
from partnerships.models import TADelivery, TARequest
from workflow.access import VIEW, case_access, organization_ids

OPEN_STAGES = ("received", "acknowledged", "matched", "scheduled")


def ta_request_list(*, user: User, action: str = VIEW) -> QuerySet[TARequest]:
    """Requests whose case the user may `action`: their own organization's, and those offered or matched to them."""
    return ta_request_with_relations(TARequest.objects.filter(case_access(user, action, case_field="case_id")))


def ta_request_with_relations(requests: QuerySet[TARequest]) -> QuerySet[TARequest]:
    """The requests with what a list row shows, newest first."""
    return requests.select_related("case__organization", "preferred_site", "matched_site").order_by(
        "-case__opened_at", "-id"
    )


def ta_request_get(*, user: User, ta_request_id: int, action: str = VIEW) -> TARequest:
    """The request with its deliveries, or TARequest.DoesNotExist (answer 404)."""
    deliveries = TADelivery.objects.select_related("site", "recorded_by").order_by("delivered_on", "id")
    return (
        ta_request_list(user=user, action=action)
        .prefetch_related(Prefetch("deliveries", queryset=deliveries))
        .get(pk=ta_request_id)
    )


def _own_organization_ids(user: User) -> QuerySet:
    return Membership.objects.active().filter(user=user).values("organization_id")


@dataclass
class Queue:
    open: list[TARequest]
    acknowledge_overdue: list[TARequest]
    match_overdue: list[TARequest]


def ta_queue(*, user: User, now: datetime | None = None, open_requests: list[TARequest] | None = None) -> Queue:
    """Open requests the user coordinates (visible, not filed by their own organization), oldest first.

    Overdue means the clock ran out and the step is still not done: not
    acknowledged by its 48-business-hour deadline, not matched within 2 weeks. `open_requests`: every open request
    the user sees, newest first, when the caller has read them already (the dashboard).
    """
    now = now or timezone.now()
    if open_requests is None:
        requests = list(
            ta_request_list(user=user)
            .filter(case__stage__in=OPEN_STAGES)
            .exclude(case__organization__in=_own_organization_ids(user))
            .order_by("case__opened_at", "id")
        )
    else:
        own = set(organization_ids(user))
        requests = [request for request in reversed(open_requests) if request.case.organization_id not in own]
    return Queue(
        open=requests,
        acknowledge_overdue=[r for r in requests if r.acknowledged_at is None and r.acknowledge_due_at < now],
        match_overdue=[r for r in requests if r.matched_at is None and r.match_due_at < now],
    )


def ta_user_coordinates(*, user: User) -> bool:
    """Whether the user works for a Learning Site or BJA: who sees the TA queue and the annual report."""
    if user.is_staff:
        return True
    return any(
        membership.organization.is_learning_site or membership.organization.kind == OrganizationKind.FEDERAL
        for membership in membership_rows(user)
    )


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def learning_site_list(*, today: date | None = None) -> QuerySet[Organization]:
    """Every active Learning Site with its profile and how many requests it took on this quarter (one query).

    The directory is open to every signed-in user: it describes the sites, not their requests.
    """
    start = _quarter_start(today or timezone.localdate())
    matched = (
        TARequest.objects.filter(matched_site=OuterRef("pk"), matched_at__date__gte=start)
        .order_by()
        .values("matched_site")
        .annotate(count=Count("id"))
        .values("count")
    )
    return (
        Organization.objects.filter(is_learning_site=True, is_active=True)
        .select_related("learning_site_profile")
        .annotate(matched_this_quarter=Coalesce(Subquery(matched, output_field=IntegerField()), 0))
        .order_by("name")
    )
