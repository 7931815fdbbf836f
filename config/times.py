"""How a moment is written for a person: in their zone, with the zone named.

Stored times are UTC. A page, an email or an export shows a moment in the reader's zone (the active one:
``config.middleware.UserTimeZoneMiddleware`` activates it for pages, emails override it per recipient) and
always says which zone that is, because people in one partnership sit in different zones. Pure dates (due
dates) are dates and carry no zone.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.utils import dateformat, timezone

MOMENT_FORMAT = "M j, Y, g:i A"


def zone_abbreviation(local: datetime) -> str:
    """The zone's short name at that moment ("EST", "EDT", "HST"); "UTC-03" where the zone has no letters."""
    name = local.tzname() or "UTC"
    return f"UTC{name}" if name[0] in "+-" else name


def moment_text(moment: datetime | None, zone=None) -> str:
    """A moment as "Mar 5, 2027, 10:00 AM EST", in `zone` (a name or tzinfo) or else the active zone."""
    if moment is None:
        return ""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    if isinstance(zone, str):
        zone = zoneinfo.ZoneInfo(zone)
    local = timezone.localtime(moment, zone)
    return f"{dateformat.format(local, MOMENT_FORMAT)} {zone_abbreviation(local)}"


def export_moment(moment: datetime | None) -> datetime | None:
    """A moment as a spreadsheet keeps it: wall-clock time in the active zone, without tzinfo (Excel has none).

    The zone goes in the column's header (``export_header``), so a date cell stays a date cell.
    """
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def export_header(title: str) -> str:
    """A timestamp column's header naming the zone its cells are in: "Submitted (America/New_York)"."""
    return f"{title} ({timezone.get_current_timezone_name()})"
