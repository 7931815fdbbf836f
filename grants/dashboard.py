"""The grants section of the role dashboard (settings.DASHBOARD_SECTIONS).

Agency staff: our applications with their stage and next deadline. BJA staff: applications by stage for
each of their agency's solicitations. Peer reviewers: their assigned reviews. Everyone: the awards they see
with acceptance countdowns, compliance flags and the next report.
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef
from django.http import HttpRequest

from accounts.models import Role
from accounts.selectors import membership_rows
from grants import selectors
from grants.awards.selectors import award_compliance, award_list
from grants.models import Solicitation
from grants.rules import APPLICANT_ROLES
from grants.selectors.reports import REPORT_ROLES
from workflow.access import memberships, organization_ids
from workflow.models import Participant

DASHBOARD_ROWS = 10


def _our_applications(user) -> list:
    # The user's organizations as constants (read once per page) and EXISTS for "one of them applies": no join
    # that multiplies rows, so no DISTINCT over the whole list (9 ms on the national data with nothing to show).
    applies = Participant.objects.filter(
        case_id=OuterRef("case_id"), organization_id__in=organization_ids(user), role__in=APPLICANT_ROLES
    )
    return list(
        selectors.application_list(user=user)
        .filter(Exists(applies))
        .order_by(F("case__closed_at").asc(nulls_first=True), "solicitation__justgrants_deadline", "-created_at")[
            :DASHBOARD_ROWS
        ]
    )


def _agency_solicitations(user) -> list[Solicitation]:
    agencies = [
        membership.organization_id
        for membership in membership_rows(user)
        if membership.role in REPORT_ROLES and membership.organization.kind == "federal"
    ]
    return list(
        Solicitation.objects.filter(agency__in=agencies, published_at__isnull=False).order_by(
            "-fiscal_year", "justgrants_deadline"
        )[:DASHBOARD_ROWS]
    )


def dashboard_section(request: HttpRequest) -> dict | None:
    user = request.user
    applications = _our_applications(user)
    solicitations = _agency_solicitations(user)
    counts = selectors.stage_counts(user=user, solicitations=solicitations) if solicitations else {}
    charts = [{"solicitation": s, "counts": counts[s.id]} for s in solicitations]
    reviews = []
    if any(role == Role.PEER_REVIEWER for _, role in memberships(user)):
        reviews = list(selectors.assignment_list_for_reviewer(user=user)[:DASHBOARD_ROWS])
    awards = _awards(user)
    if not (applications or charts or reviews or awards):
        return None
    return {
        "template": "grants/dashboard.html",
        "context": {"applications": applications, "charts": charts, "assignments": reviews, "awards": awards},
    }


def _awards(user) -> list:
    """Awards the user sees with their clocks: offered ones (acceptance countdown) first, then by next report."""
    rows = [(award, award_compliance(award)) for award in award_list(user=user)[:DASHBOARD_ROWS]]
    return sorted(rows, key=lambda row: (not row[1].acceptance_open, not row[1].flags, row[0].acceptance_due))
