"""Many rows quickly, for query-count tests: the same shapes the services make, without the story."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from grants.models import Application, AssignmentStatus, ReviewAssignment
from tests import factories
from tests.grants import flow
from workflow.models import Case, CaseUserPermission, Participant
from workflow.services import _grantable


def applications(n: int, *, solicitation, lead, actor, partner=None, agency=None, stage="draft") -> list[Application]:
    made = []
    for i in range(n):
        application = flow.application_start(
            solicitation=solicitation,
            lead=lead,
            actor=actor,
            co_applicants=[partner] if partner else [],
            title=f"Application {Application.objects.count() + 1} {i}",
        )
        if agency is not None:
            Participant.objects.create(case=application.case, organization=agency, role="reviewer")
        if stage != "draft":
            Case.objects.filter(pk=application.case_id).update(stage=stage)
        made.append(application)
    return made


def review(application: Application, reviewer, manager, *, total: str | None = None) -> ReviewAssignment:
    """An assignment with its grant; submitted with `total` when given."""
    CaseUserPermission.objects.get_or_create(
        content_object=application.case, user=reviewer, permission=_grantable("review_case")
    )
    return ReviewAssignment.objects.create(
        application=application,
        reviewer=reviewer,
        assigned_by=manager,
        due_date=timezone.localdate(),
        status=AssignmentStatus.SUBMITTED if total else AssignmentStatus.ASSIGNED,
        total=Decimal(total) if total else None,
        submitted_at=timezone.now() if total else None,
    )


def peer_reviewers(n: int, agency) -> list:
    return [factories.member_of(agency, "peer_reviewer") for _ in range(n)]
