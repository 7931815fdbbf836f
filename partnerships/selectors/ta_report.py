"""The annual TA report: per Learning Site and in total, the figures BJA publishes and two medians.

BJA's fact sheet gives three counts a year (2017: 2,536 requests, 121 site
visits, 236 trainings); we add the median time to acknowledge a request (in
business hours, the clock the program promises) and to match it (in days).

A request counts in the year it was received, for the site it was matched to
("Not matched" otherwise); a delivery counts in the year it was delivered, for
the site that delivered it. The calendar year is the service's time zone's
(settings.TIME_ZONE). The report covers the requests the reader may see, so
a site's staff see their own share and BJA, on every request, sees them all.
"""

from __future__ import annotations

import statistics
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings

from accounts.models import User
from partnerships.business_time import business_hours_between
from partnerships.choices import DeliveryType
from partnerships.models import TADelivery, TARequest
from partnerships.selectors.ta import ta_request_list

NOT_MATCHED = "Not matched"


@dataclass
class ReportRow:
    site: str
    site_id: int | None = None
    requests_received: int = 0
    site_visits: int = 0
    trainings: int = 0
    attendees_trained: int = 0
    hours_to_acknowledge: list[float] = field(default_factory=list, repr=False)
    days_to_match: list[float] = field(default_factory=list, repr=False)

    @property
    def median_hours_to_acknowledge(self) -> float | None:
        return round(statistics.median(self.hours_to_acknowledge), 1) if self.hours_to_acknowledge else None

    @property
    def median_days_to_match(self) -> float | None:
        return round(statistics.median(self.days_to_match), 1) if self.days_to_match else None

    def add_request(self, request: TARequest) -> None:
        self.requests_received += 1
        opened = request.case.opened_at
        if request.acknowledged_at:
            zone = request.case.organization.time_zone
            hours = business_hours_between(start=opened, end=request.acknowledged_at, time_zone=zone)
            self.hours_to_acknowledge.append(hours)
        if request.matched_at:
            self.days_to_match.append((request.matched_at - opened).total_seconds() / 86400)

    def add_delivery(self, delivery: TADelivery) -> None:
        if delivery.delivery_type == DeliveryType.SITE_VISIT:
            self.site_visits += 1
        elif delivery.delivery_type == DeliveryType.TRAINING:
            self.trainings += 1
            self.attendees_trained += delivery.attendees or 0


@dataclass
class AnnualReport:
    year: int
    rows: list[ReportRow]
    total: ReportRow


COLUMNS = [
    ("site", "Learning Site"),
    ("requests_received", "Requests received"),
    ("site_visits", "Site visits"),
    ("trainings", "Trainings"),
    ("attendees_trained", "People trained"),
    ("median_hours_to_acknowledge", "Median business hours to acknowledge"),
    ("median_days_to_match", "Median days to match"),
]


def ta_annual_report(*, user: User, year: int) -> AnnualReport:
    """Two queries: the year's requests and the year's deliveries, both through the access filter."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    visible = ta_request_list(user=user)
    requests = visible.filter(
        case__opened_at__gte=datetime(year, 1, 1, tzinfo=zone),
        case__opened_at__lt=datetime(year + 1, 1, 1, tzinfo=zone),
    )
    deliveries = TADelivery.objects.filter(
        ta_request__in=visible.values("id"), delivered_on__gte=date(year, 1, 1), delivered_on__lt=date(year + 1, 1, 1)
    ).select_related("site")

    rows: dict[int | None, ReportRow] = {}
    total = ReportRow("All Learning Sites")
    for request in requests:
        site = request.matched_site
        row = rows.setdefault(
            site.pk if site else None, ReportRow(site.name if site else NOT_MATCHED, site and site.pk)
        )
        row.add_request(request)
        total.add_request(request)
    for delivery in deliveries:
        row = rows.setdefault(delivery.site_id, ReportRow(delivery.site.name, delivery.site_id))
        row.add_delivery(delivery)
        total.add_delivery(delivery)
    ordered = sorted(rows.values(), key=lambda row: (row.site_id is None, row.site))
    return AnnualReport(year=year, rows=ordered, total=total)


def report_table(report: AnnualReport) -> list[list]:
    """The report as rows of cells (header first, total last), for CSV and XLSX."""
    lines = [[label for _, label in COLUMNS]]
    for row in [*report.rows, report.total]:
        lines.append([getattr(row, name) for name, _ in COLUMNS])
    return lines
