"""Program rules that are the same every fiscal year: who may apply with whom, file types, dates and deadlines.

What changes by fiscal year (ceilings, periods, match schedules, deadlines) lives on the solicitation.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Membership, OrganizationKind, Role
from grants.models import DocumentKind
from workflow.models import ParticipantRole

# JMHCP funds projects run jointly by a criminal or juvenile justice agency and a mental health agency.
JUSTICE_KINDS = frozenset({OrganizationKind.LAW_ENFORCEMENT, OrganizationKind.GOVERNMENT})
MENTAL_HEALTH_KINDS = frozenset({OrganizationKind.BEHAVIORAL_HEALTH})
CO_APPLICANT_KINDS = JUSTICE_KINDS | MENTAL_HEALTH_KINDS
APPLICANT_ROLES = (ParticipantRole.LEAD, ParticipantRole.CO_APPLICANT)
LEAD_KIND_CHOICES = [choice for choice in OrganizationKind.choices if choice[0] != OrganizationKind.FEDERAL]

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The file types each attachment may have (what DOJ's JustGrants accepts for it, narrowed to what we store).
ACCEPTED_TYPES = {
    DocumentKind.PROGRAM_NARRATIVE: (PDF, DOCX),
    DocumentKind.BUDGET_WORKSHEET: (XLSX, PDF),
    DocumentKind.BUDGET_NARRATIVE: (PDF, DOCX),
    DocumentKind.MOU: (PDF,),
    DocumentKind.TIMELINE: (PDF, DOCX, XLSX),
    DocumentKind.LETTERS_OF_SUPPORT: (PDF,),
    DocumentKind.OTHER: (PDF, DOCX, XLSX),
}
TYPE_NAMES = {PDF: "PDF", DOCX: "Word (DOCX)", XLSX: "Excel (XLSX)"}


def accepted_type_names(kind: str) -> str:
    return " or ".join(TYPE_NAMES[content_type] for content_type in ACCEPTED_TYPES[kind])


def kind_label(kind: str) -> str:
    return dict(DocumentKind.choices).get(kind, kind.replace("_", " "))


def kind_phrase(kind: str) -> str:
    """The label inside a sentence: "the program narrative", but "the MOU or letter of intent"."""
    label = kind_label(kind)
    first = label.split(" ", 1)[0]
    return label if first.isupper() else label[0].lower() + label[1:]


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_last_day(start: date, months: int) -> date:
    """The last day of a period of `months` months that starts on `start` (Oct 1 + 36 months -> Sep 30)."""
    return add_months(start, months) - timedelta(days=1)


def project_years(start: date, end: date) -> int:
    """How many project (budget) years the dates span: 12 months each, a partial last year counts."""
    years = 1
    while period_last_day(start, 12 * years) < end:
        years += 1
    return years


def on_time(deadline: datetime, now: datetime | None = None) -> bool:
    """A submission time-stamped within the deadline's second is on time; one second later is late."""
    now = now or timezone.now()
    return now.replace(microsecond=0) <= deadline


def deadline_text(deadline: datetime, time_zone: str) -> str:
    """ "May 1, 2027, 8:59:59 PM EDT": the wall-clock deadline where the solicitation states it."""
    local = deadline.astimezone(ZoneInfo(time_zone))
    hour = local.hour % 12 or 12
    noon = "AM" if local.hour < 12 else "PM"
    return f"{local:%B} {local.day}, {local.year}, {hour}:{local:%M:%S} {noon} {local.tzname()}"


def _active(user, **filters) -> bool:
    return Membership.objects.active().filter(user=user, **filters).exists()


def works_for_lead(user, case) -> bool:
    return _active(user, organization_id=case.organization_id, role__in=[Role.ADMIN, Role.MEMBER])


def administers_lead(user, case) -> bool:
    return _active(user, organization_id=case.organization_id, role=Role.ADMIN)


def manages_grant(user, case) -> bool:
    """A grant manager of an agency that reviews this case (peer reviewers hold `review` too, but not this)."""
    return _active(
        user,
        role=Role.GRANT_MANAGER,
        organization__participations__case=case,
        organization__participations__role=ParticipantRole.REVIEWER,
    )


# BJA staff who see an agency's cases through their membership; peer reviewers see only what they are assigned.
STAFF_ROLES = (Role.ADMIN, Role.MEMBER, Role.VIEWER, Role.GRANT_MANAGER)


def reviewing_staff(user, case) -> bool:
    """BJA staff who see the case through their agency (not peer reviewers, who see it by assignment only)."""
    return _active(
        user,
        role__in=STAFF_ROLES,
        organization__participations__case=case,
        organization__participations__role=ParticipantRole.REVIEWER,
    )


APPLICATION_KIND = "application"
