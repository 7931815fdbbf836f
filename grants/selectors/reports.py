"""The grant manager's reports: applications by stage, review progress per reviewer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Min, Q
from django.utils import timezone

from accounts.models import Membership, User
from config.errors import NotAllowed, NotFound
from grants.models import Application, AssignmentStatus, ReviewAssignment, Solicitation
from grants.rules import APPLICATION_KIND, STAFF_ROLES
from grants.selectors.applications import application_list
from workflow.access import VIEW
from workflow.machines import registry

REPORT_ROLES = STAFF_ROLES


def reports_allowed(*, user: User, solicitation: Solicitation) -> bool:
    """Reports are for the issuing agency's staff; peer reviewers (who must not compare scores) are left out."""
    if user.is_superuser:
        return True
    return (
        Membership.objects.active()
        .filter(user=user, organization_id=solicitation.agency_id, role__in=REPORT_ROLES)
        .exists()
    )


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    count: int


def _stage_order() -> dict[str, int]:
    return {stage.name: position for position, stage in enumerate(registry.get(APPLICATION_KIND).stages)}


def stage_counts(*, user: User, solicitations: list[Solicitation]) -> dict[int, list[StageCount]]:
    """For each solicitation, how many of the applications the user sees are at each stage (one query)."""
    rows = (
        application_list(user=user)
        .filter(solicitation__in=solicitations)
        .order_by()
        .values("solicitation_id", "case__stage")
        .annotate(count=Count("id"))
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["solicitation_id"], {})[row["case__stage"]] = row["count"]
    return {
        solicitation.id: [
            StageCount(stage.name, stage.label, counts.get(solicitation.id, {}).get(stage.name, 0))
            for stage in registry.get(APPLICATION_KIND).stages
        ]
        for solicitation in solicitations
    }


def stage_rows(*, user: User, solicitation: Solicitation) -> list[Application]:
    """The applications of a solicitation the user sees, in stage order."""
    order = _stage_order()
    rows = list(application_list(user=user).filter(solicitation=solicitation).order_by("case__title", "id"))
    return sorted(rows, key=lambda application: order.get(application.case.stage, len(order)))


@dataclass(frozen=True)
class ReviewerProgress:
    reviewer: str
    email: str
    assigned: int
    declared: int
    submitted: int
    recused: int
    overdue: int
    next_due: date | None

    @property
    def outstanding(self) -> int:
        return self.assigned - self.submitted - self.recused


def reviewer_progress(*, user: User, solicitation: Solicitation, today: date | None = None) -> list[ReviewerProgress]:
    """Per reviewer, over the applications the user sees: assigned, declared, submitted, recused, overdue."""
    today = today or timezone.localdate()
    open_ = Q(status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.DECLARED])
    rows = (
        ReviewAssignment.objects.filter(
            application__solicitation=solicitation,
            application__in=Application.objects.visible_to(user, VIEW).values("id"),
        )
        .order_by()
        .values("reviewer_id", "reviewer__full_name", "reviewer__email")
        .annotate(
            assigned=Count("id"),
            # A reviewer who submitted declared no conflict first: both count as declared.
            declared=Count("id", filter=Q(status__in=[AssignmentStatus.DECLARED, AssignmentStatus.SUBMITTED])),
            submitted=Count("id", filter=Q(status=AssignmentStatus.SUBMITTED)),
            recused=Count("id", filter=Q(status=AssignmentStatus.RECUSED)),
            overdue=Count("id", filter=open_ & Q(due_date__lt=today)),
            next_due=Min("due_date", filter=open_),
        )
        .order_by("reviewer__full_name", "reviewer__email")
    )
    return [
        ReviewerProgress(
            reviewer=row["reviewer__full_name"] or row["reviewer__email"],
            email=row["reviewer__email"],
            assigned=row["assigned"],
            declared=row["declared"],
            submitted=row["submitted"],
            recused=row["recused"],
            overdue=row["overdue"],
            next_due=row["next_due"],
        )
        for row in rows
    ]


def reports_require(*, user: User, solicitation: Solicitation) -> None:
    """404 for who is not of the issuing agency; 403 for its peer reviewers, who must not compare scores."""
    if reports_allowed(user=user, solicitation=solicitation):
        return
    if Membership.objects.active().filter(user=user, organization_id=solicitation.agency_id).exists():
        raise NotAllowed("The solicitation's reports are for BJA staff, not peer reviewers.")
    raise NotFound("Report not found.")
