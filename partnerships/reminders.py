"""Partnership reminders, registered from ``PartnershipsConfig.ready()`` (docs/reminders.md).

* Agreement expiry: a deadline source with fixed windows, 60, 30 and 7 days before the expiry date and
  on it, to the admins of every signatory organization.
* TA clocks: a request must be acknowledged within 48 business hours and matched within 14 days. When
  half the time is gone and when the clock is missed, the Learning Sites the request is offered to are
  told, once each (the key names the request, the clock and the moment).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.urls import reverse

from accounts.models import Role
from partnerships.business_time import business_deadline
from partnerships.models import Agreement, AgreementParty, TARequest
from partnerships.services.ta import ACKNOWLEDGE_BUSINESS_HOURS
from partnerships.waiting import TA_COORDINATORS
from reminders.models import Notification
from reminders.preferences import notice_kind_register
from reminders.registry import DeadlineSource, Recipients, organization_members, registry
from reminders.services.outbox import notification_build, outbox_add, recipients_load
from workflow.roles import role_members

AGREEMENT_EXPIRY = "agreement_expiry"
TA_CLOCKS = "ta_clocks"
# A clock missed longer ago than this is not looked at any more: its "missed" was written long since.
CLOCK_LOOKBACK = timedelta(days=30)


def agreements_that_expire():
    """Agreements with an expiry date, of partnerships still running."""
    return Agreement.objects.filter(expiry_date__isnull=False, partnership__case__closed_at__isnull=True)


def signatory_admins(deadlines: list) -> Recipients:
    """The admins of every organization that is party to the agreement (one query for parties, one for people)."""
    agreement_to_deadline = {deadline.object_id: deadline.id for deadline in deadlines}
    parties: dict[int, set[int]] = defaultdict(set)
    for agreement_id, organization_id in AgreementParty.objects.filter(
        agreement_id__in=agreement_to_deadline
    ).values_list("agreement_id", "organization_id"):
        parties[agreement_to_deadline[agreement_id]].add(organization_id)
    admins = organization_members({org for orgs in parties.values() for org in orgs}, roles=(Role.ADMIN,))
    return {
        deadline.id: {user for org in parties.get(deadline.id, ()) for user in admins.get(org, ())}
        for deadline in deadlines
    }


def agreement_url(deadline) -> str:
    partnership_id = Agreement.objects.filter(pk=deadline.object_id).values_list("partnership_id", flat=True).first()
    if partnership_id is None:
        return deadline.case.get_absolute_url()
    return reverse("partnership-detail", args=[partnership_id]) + f"#agreement-{deadline.object_id}"


def agreement_subject(title: str, rel: int) -> str:
    if rel >= 0:
        return f"Agreement “{title}” has expired: renew it or record a new one"
    return f"Renew agreement “{title}”: it expires in {-rel} days"


AGREEMENT_EXPIRY_SOURCE = DeadlineSource(
    key=AGREEMENT_EXPIRY,
    label="Agreement expiry",
    queryset=agreements_that_expire,
    case="partnership__case",
    due_date="expiry_date",
    recipients=signatory_admins,
    escalation=signatory_admins,
    url=agreement_url,
    fixed_windows=(("before-60", -60), ("before-30", -30), ("before-7", -7), ("expired", 0)),
    subject=agreement_subject,
)


def _half(request: TARequest, clock: str) -> datetime:
    start = request.case.opened_at
    if clock == "acknowledge":
        zone = request.case.organization.time_zone
        return business_deadline(start=start, hours=ACKNOWLEDGE_BUSINESS_HOURS / 2, time_zone=zone)
    return start + (request.match_due_at - start) / 2


def _moment(moment: datetime, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    hour = local.strftime("%I:%M %p").lstrip("0")
    return f"{local:%A, %B} {local.day}, {local.year} at {hour} {local.tzname()}"


CLOCKS = {
    # clock: (due field, what must be done, the request's stages while it runs)
    "acknowledge": ("acknowledge_due_at", "Acknowledge", ("received",)),
    "match": ("match_due_at", "Match with a Learning Site", ("received", "acknowledged")),
}


def _running(now: datetime):
    running = Q()
    for clock, (due_field, _, stages) in CLOCKS.items():
        stamp = "acknowledged_at" if clock == "acknowledge" else "matched_at"
        running |= Q(**{f"{stamp}__isnull": True, "case__stage__in": stages, f"{due_field}__gt": now - CLOCK_LOOKBACK})
    return TARequest.objects.filter(running).select_related("case__organization")


def ta_clocks_remind(*, now: datetime) -> int:
    """Tell the sites of each TA request whose clock is half gone or missed; each once (the outbox key)."""
    due: list[tuple[TARequest, str, str, datetime]] = []
    for request in _running(now):
        for clock, (due_field, _, stages) in CLOCKS.items():
            stamp = request.acknowledged_at if clock == "acknowledge" else request.matched_at
            deadline = getattr(request, due_field)
            if stamp is not None or request.case.stage not in stages:
                continue
            if now >= deadline:
                due.append((request, clock, "missed", deadline))
            elif now >= _half(request, clock):
                due.append((request, clock, "half", deadline))
    if not due:
        return 0
    targets = {f"ta:{request.pk}" for request, *_ in due}
    written = set(Notification.objects.filter(target__in=targets).values_list("target", "window").distinct())
    due = [row for row in due if (f"ta:{row[0].pk}", f"{row[1]}-{row[2]}") not in written]
    sites = role_members(TA_COORDINATORS, {request.case_id for request, *_ in due})
    users, preferences = recipients_load({user for members in sites.values() for user in members})
    rows = []
    for request, clock, moment, deadline in due:
        action = CLOCKS[clock][1]
        for user_id in sorted(sites.get(request.case_id, ())):
            user = users.get(user_id)
            if user is None:
                continue
            if moment == "missed":
                subject = f"{action} the TA request “{request.case.title}”: its deadline was missed"
                body = f"It was due {_moment(deadline, user.time_zone)}."
            else:
                subject = f"{action} the TA request “{request.case.title}”: half the time is gone"
                body = f"Due {_moment(deadline, user.time_zone)}."
            rows.append(
                notification_build(
                    user=user,
                    preference=preferences.get(user_id),
                    kind=TA_CLOCKS,
                    target=f"ta:{request.pk}",
                    window=f"{clock}-{moment}",
                    subject=subject,
                    body=body,
                    url=reverse("ta-detail", args=[request.pk]),
                    case_id=request.case_id,
                    now=now,
                )
            )
    outbox_add(rows)
    return len(rows)


def register_reminders() -> None:
    registry.register(AGREEMENT_EXPIRY_SOURCE)
    notice_kind_register(TA_CLOCKS, "TA request clocks (acknowledge, match)")
    registry.register_clock(TA_CLOCKS, ta_clocks_remind)
