"""Writes on TA requests: file one, acknowledge, match with a Learning Site, schedule, record deliveries."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, OrganizationKind, User
from accounts.selectors import membership_role
from config.errors import Conflict, NotAllowed, ServiceError
from config.times import moment_text
from partnerships import rules
from partnerships.business_time import business_deadline, calendar_deadline
from partnerships.choices import AUDIENCE_DELIVERIES, DeliveryType, TATopic
from partnerships.models import TA_REQUEST_KIND, TADelivery, TARequest
from partnerships.selectors.partnerships import local_today
from reminders.services.handoffs import waiting_refresh
from workflow.access import VIEW, case_require
from workflow.clocks import unflagged
from workflow.machines import Due
from workflow.models import Participant, ParticipantRole
from workflow.services import case_create, case_transition, event_record, participant_add

# The program's service promise: an answer within about 48 business hours, a match within 2 weeks.
ACKNOWLEDGE_BUSINESS_HOURS = 48
MATCH_WITHIN_DAYS = 14


def _check_site(site: Organization, field: str) -> None:
    if not (site.is_learning_site and site.is_active):
        raise ServiceError(f"{site} is not a Learning Site.", field=field, code="not_a_learning_site")


@transaction.atomic
def ta_request_create(
    *,
    actor: User,
    organization: Organization,
    topic: str,
    preferred_delivery: str,
    description: str,
    preferred_site: Organization | None = None,
) -> TARequest:
    """File a request. It is offered to the preferred site, or to every Learning Site when any will do,
    and BJA sees it: those are the case's participants, so they are who may see and coordinate it.
    """
    role = membership_role(user=actor, organization=organization)
    if role is None:
        raise ServiceError(
            "Request assistance for an organization you work for.", field="organization", code="not_your_organization"
        )
    if role not in rules.STAFF_ROLES:
        raise NotAllowed(f"Your role in {organization} lets you read, not request assistance.")
    if organization.kind == OrganizationKind.FEDERAL:
        raise ServiceError("BJA coordinates requests; it does not file them.", field="organization", code="federal")
    if topic not in TATopic.values:
        raise ServiceError(f"“{topic}” is not a topic.", field="topic", code="invalid_choice")
    if preferred_delivery not in DeliveryType.values:
        raise ServiceError(
            f"“{preferred_delivery}” is not a delivery.", field="preferred_delivery", code="invalid_choice"
        )
    if not description.strip():
        raise ServiceError("Say what you need help with.", field="description", code="required")
    if preferred_site is not None:
        _check_site(preferred_site, "preferred_site")
        if preferred_site.pk == organization.pk:
            raise ServiceError("A site cannot request assistance from itself.", field="preferred_site", code="self")
        sites = [preferred_site]
    else:
        sites = list(Organization.objects.filter(is_learning_site=True, is_active=True).exclude(pk=organization.pk))
    participants = {site: ParticipantRole.PARTNER for site in sites}
    for bja in Organization.objects.filter(kind=OrganizationKind.FEDERAL, is_active=True):
        participants[bja] = ParticipantRole.REVIEWER
    title = f"{TATopic(topic).label} for {organization}"[:200]
    case = case_create(
        kind=TA_REQUEST_KIND, title=title, organization=organization, actor=actor, participants=participants
    )
    request = TARequest(
        case=case,
        topic=topic,
        preferred_delivery=preferred_delivery,
        preferred_site=preferred_site,
        description=description.strip(),
        acknowledge_due_at=business_deadline(
            start=case.opened_at, hours=ACKNOWLEDGE_BUSINESS_HOURS, time_zone=organization.time_zone
        ),
        # Calendar days at the same wall-clock time in the site's zone (the requester's while any site will do).
        match_due_at=calendar_deadline(
            start=case.opened_at, days=MATCH_WITHIN_DAYS, time_zone=(preferred_site or organization).time_zone
        ),
    )
    request.full_clean()
    request.save()
    # The case opened (and its coordinators were told) before its clocks existed: give its waiting item the clock.
    waiting_refresh(case=case)
    return request


def _locked(ta_request: TARequest) -> TARequest:
    return TARequest.objects.select_for_update(of=("self",)).select_related("case__organization").get(pk=ta_request.pk)


def _require_rule(ta_request: TARequest, actor: User, check, message: str) -> None:
    case_require(case=ta_request.case, user=actor, action=VIEW, message=message, not_found="Request not found.")
    if not check(actor, ta_request.case):
        raise NotAllowed(message)


def _expect_stage(ta_request: TARequest, stages: tuple[str, ...], doing: str) -> None:
    if ta_request.case.stage not in stages:
        raise Conflict(f"Cannot {doing}: the request is {ta_request.case.stage_label.lower()}.", code="wrong_stage")


@transaction.atomic
def ta_request_match(*, ta_request: TARequest, site: Organization, actor: User, comment: str = "") -> TARequest:
    """Match an acknowledged request with a Learning Site, which then takes part in the case."""
    ta_request = _locked(ta_request)
    # Checked before the site joins the case: joining would make the site's own staff coordinators.
    _require_rule(ta_request, actor, rules.is_ta_coordinator, "Only a TA coordinator can match a request.")
    _expect_stage(ta_request, ("acknowledged",), "match it")
    _check_site(site, "site")
    if site.pk == ta_request.case.organization_id:
        raise ServiceError("A site cannot assist itself.", field="site", code="self")
    ta_request.matched_site = site
    ta_request.save(update_fields=["matched_site"])
    if not Participant.objects.filter(case=ta_request.case, organization=site).exists():
        participant_add(case=ta_request.case, organization=site, role=ParticipantRole.PARTNER, actor=actor)
    case_transition(case=ta_request.case, name="match", actor=actor, comment=comment or f"Matched with {site}.")
    ta_request.refresh_from_db()
    return ta_request


def _not_before_request(ta_request: TARequest, day: date, field: str, what: str) -> None:
    received = timezone.localtime(ta_request.case.opened_at, _zone(ta_request)).date()
    if day < received:
        raise ServiceError(
            f"{what} cannot be dated before the request was received ({received:%b %-d, %Y}).",
            field=field,
            code=f"{field}_before_request",
        )


def _zone(ta_request: TARequest) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(ta_request.case.organization.time_zone)


@transaction.atomic
def ta_request_schedule(*, ta_request: TARequest, on: date, actor: User, comment: str = "") -> TARequest:
    ta_request = _locked(ta_request)
    _require_rule(ta_request, actor, rules.is_matched_site_staff, "Only the matched Learning Site can schedule it.")
    _expect_stage(ta_request, ("matched",), "schedule it")
    _not_before_request(ta_request, on, "scheduled_for", "The assistance")
    ta_request.scheduled_for = on
    ta_request.save(update_fields=["scheduled_for"])
    case_transition(case=ta_request.case, name="schedule", actor=actor, comment=comment or f"Scheduled for {on}.")
    ta_request.refresh_from_db()
    return ta_request


@transaction.atomic
def ta_delivery_record(
    *,
    ta_request: TARequest,
    actor: User,
    delivered_on: date,
    delivery_type: str,
    hours: Decimal,
    attendees: int | None = None,
    site: Organization | None = None,
    note: str = "",
) -> TADelivery:
    """Record assistance delivered; the first record moves a matched or scheduled request to delivered."""
    ta_request = _locked(ta_request)
    _require_rule(ta_request, actor, rules.is_matched_site_staff, "Only the matched Learning Site records deliveries.")
    _expect_stage(ta_request, ("matched", "scheduled", "delivered"), "record a delivery")
    site = site or ta_request.matched_site
    _check_site(site, "site")
    if delivery_type not in DeliveryType.values:
        raise ServiceError(f"“{delivery_type}” is not a delivery type.", field="delivery_type", code="invalid_choice")
    _not_before_request(ta_request, delivered_on, "delivered_on", "A delivery")
    if delivered_on > local_today(site):
        raise ServiceError("Record a delivery once it happened.", field="delivered_on", code="delivered_in_future")
    if attendees is not None and attendees < 0:
        raise ServiceError("The attendee count cannot be below zero.", field="attendees", code="negative_attendees")
    if attendees is None and delivery_type in AUDIENCE_DELIVERIES:
        raise ServiceError(
            "Say how many attended: trainings and webinars count their attendees.",
            field="attendees",
            code="attendees_required",
        )
    if hours is None or hours <= 0:
        raise ServiceError("Hours must be more than zero.", field="hours", code="hours_not_positive")
    delivery = TADelivery(
        ta_request=ta_request,
        delivered_on=delivered_on,
        delivery_type=delivery_type,
        site=site,
        attendees=attendees,
        hours=hours,
        note=note,
        recorded_by=actor,
    )
    delivery.full_clean()
    delivery.save()
    event_record(
        case=ta_request.case,
        actor=actor,
        verb="ta.delivery_recorded",
        data={"delivery": delivery.pk, "type": delivery_type, "on": delivered_on.isoformat(), "site": site.name},
    )
    if ta_request.case.stage != "delivered":
        case_transition(case=ta_request.case, name="deliver", actor=actor, comment=delivery.get_delivery_type_display())
    return delivery


def _missed(now: datetime, *, stages: tuple[str, ...], due_field: str, clock: str, what: str) -> Iterator[Due]:
    rows = unflagged(
        TARequest.objects.filter(case__stage__in=stages, **{f"{due_field}__lt": now}),
        verb="ta.clock_missed",
        clock=clock,
    ).values_list("case_id", due_field, "case__organization__time_zone")
    for case_id, due, zone in rows:
        reason = f"the {what} clock passed on {moment_text(due, zoneinfo.ZoneInfo(zone))}: marked missed"
        yield Due(case_id, reason, data={"due": due.isoformat()})


def ta_acknowledge_missed(now: datetime) -> Iterator[Due]:
    """Requests still not acknowledged after their 48 business hours."""
    return _missed(
        now,
        stages=("received",),
        due_field="acknowledge_due_at",
        clock="acknowledge_missed",
        what="48-hour acknowledgement",
    )


def ta_match_missed(now: datetime) -> Iterator[Due]:
    """Requests not matched with a Learning Site within two weeks."""
    return _missed(
        now, stages=("received", "acknowledged"), due_field="match_due_at", clock="match_missed", what="two-week match"
    )
