"""Who acts next on grants: the Authorized Representative role and the steps inside applications and awards.

The stages that wait on someone say so in their machines (``grants/machines.py``, ``grants/awards/machine.py``);
this module declares what moves inside a case: peer reviews, the grant manager's close of the peer review,
the report chain (drafted → the lead agency, approved by it → BJA, sent back → the drafter and the lead agency)
and modifications. Registered from ``GrantsConfig.ready()`` with ``workflow.routing`` and ``workflow.roles``.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from grants.awards.machine import AWARD_KIND
from grants.models import (
    Application,
    AssignmentStatus,
    Award,
    Modification,
    ModificationStatus,
    Report,
    ReviewAssignment,
)
from grants.rules import APPLICATION_KIND
from workflow.models import MilestoneStatus
from workflow.roles import GRANT_MANAGERS, LEAD_MEMBERS, CaseRole, Holder, role_register
from workflow.routing import Step, Waiting, step_register

OUTSTANDING = (AssignmentStatus.ASSIGNED, AssignmentStatus.DECLARED)
REVIEW_VERBS = ("transition", "review.assigned", "review.declared", "review.recused", "review.submitted")
REPORT_VERBS = (
    "report.drafted",
    "report.scheduled",
    "report.schedule_regenerated",
    "milestone.submitted",
    "milestone.approved",
    "milestone.changes_requested",
)


def _representatives(case_ids: list[int]) -> dict[int, int]:
    return dict(
        Award.objects.filter(case_id__in=case_ids, authorized_representative__isnull=False).values_list(
            "case_id", "authorized_representative_id"
        )
    )


AUTHORIZED_REPRESENTATIVE = CaseRole(
    "authorized_representative",
    "the award's Authorized Representative",
    members=lambda case_ids: {case: {user} for case, user in _representatives(case_ids).items()},
    holders=lambda case_ids: {case: {Holder(user_id=user)} for case, user in _representatives(case_ids).items()},
)


def application_due(case_ids: list[int]) -> dict:
    """A draft is due at the solicitation's JustGrants deadline."""
    return dict(
        Application.objects.filter(case_id__in=case_ids).values_list("case_id", "solicitation__justgrants_deadline")
    )


def _application_url(application_id: int, anchor: str = "") -> str:
    return reverse("grants-application", args=[application_id]) + anchor


def reviews_to_do(case_ids: list[int]) -> list[Waiting]:
    """Each assigned peer review not yet submitted or recused: its reviewer, by its due date."""
    rows = ReviewAssignment.objects.filter(
        application__case_id__in=case_ids, status__in=OUTSTANDING, application__case__stage="peer_review"
    ).values_list(
        "pk",
        "application__case_id",
        "application_id",
        "application__case__title",
        "reviewer_id",
        "status",
        "due_date",
        "assigned_at",
    )
    return [
        Waiting(
            step="review.score",
            case_id=case_id,
            object_id=pk,
            action=(
                f"Declare any conflict of interest, then score “{title}”"
                if status == AssignmentStatus.ASSIGNED
                else f"Score “{title}”"
            ),
            url=_application_url(application_id, "#peer-review"),
            users=(reviewer,),
            due=due,
            since=assigned_at,
        )
        for pk, case_id, application_id, title, reviewer, status, due, assigned_at in rows
    ]


def peer_reviews_to_close(case_ids: list[int]) -> list[Waiting]:
    """Every assigned review submitted or recused, at least one submitted: the grant managers close the review."""
    rows = (
        Application.objects.filter(case_id__in=case_ids, case__stage="peer_review")
        .annotate(
            outstanding=Count("review_assignments", filter=Q(review_assignments__status__in=OUTSTANDING)),
            submitted=Count("review_assignments", filter=Q(review_assignments__status=AssignmentStatus.SUBMITTED)),
        )
        .filter(outstanding=0, submitted__gt=0)
        .values_list("pk", "case_id", "case__title")
    )
    return [
        Waiting(
            step="review.close",
            case_id=case_id,
            object_id=0,
            action=f"Read the peer reviews and close the peer review of “{title}”",
            url=_application_url(pk),
            roles=(GRANT_MANAGERS.key,),
        )
        for pk, case_id, title in rows
    ]


def _report_url(report: Report) -> str:
    return reverse("grants-award-report", args=[report.award_id, report.pk])


def reports_waiting(case_ids: list[int]) -> list[Waiting]:
    """The report chain: drafted → the lead agency approves it for BJA (not its drafter); submitted → BJA's grant
    managers; sent back → its drafter and the lead agency's staff revise it, with BJA's reason."""
    reports = Report.objects.filter(award__case_id__in=case_ids).select_related("milestone", "award")
    reports = reports.filter(
        Q(milestone__status=MilestoneStatus.SUBMITTED)
        | Q(milestone__status=MilestoneStatus.CHANGES_REQUESTED)
        | Q(milestone__status=MilestoneStatus.OPEN, drafted_at__isnull=False)
    )
    items = []
    for report in reports:
        milestone, case_id = report.milestone, report.award.case_id
        redrafted = report.drafted_at is not None and (
            milestone.decided_at is None or report.drafted_at > milestone.decided_at
        )
        common = {"case_id": case_id, "object_id": report.pk, "url": _report_url(report), "due": report.due_date}
        if milestone.status == MilestoneStatus.SUBMITTED:
            step = {
                "action": f"Approve the report “{milestone.title}”",
                "roles": (GRANT_MANAGERS.key,),
                "except_user": report.drafted_by_id,
                "since": milestone.submitted_at,
            }
        elif redrafted:
            step = {
                "action": f"Approve the report “{milestone.title}” for submission to BJA",
                "roles": (LEAD_MEMBERS.key,),
                "except_user": report.drafted_by_id,
                "since": report.drafted_at,
            }
        else:
            drafter = (report.drafted_by_id,) if report.drafted_by_id else ()
            step = {
                "action": f"Revise the report “{milestone.title}” (sent back)",
                "roles": (LEAD_MEMBERS.key,),
                "users": drafter,
                "since": milestone.decided_at,
                "comment": milestone.reviewer_comment,
            }
        items.append(Waiting(step="report", **common, **step))
    return items


def modifications_to_decide(case_ids: list[int]) -> list[Waiting]:
    rows = Modification.objects.filter(award__case_id__in=case_ids, status=ModificationStatus.PENDING).values_list(
        "pk", "award__case_id", "award_id", "kind", "submitted_by_id", "submitted_at", "award__case__title"
    )
    return [
        Waiting(
            step="modification.decision",
            case_id=case_id,
            object_id=pk,
            action=f"Decide on the {kind.replace('_', ' ')} modification of “{title}”",
            url=reverse("grants-award-detail", args=[award_id]) + "#modifications",
            roles=(GRANT_MANAGERS.key,),
            except_user=submitted_by,
            since=submitted_at,
        )
        for pk, case_id, award_id, kind, submitted_by, submitted_at, title in rows
    ]


def register_waiting() -> None:
    role_register(AUTHORIZED_REPRESENTATIVE)
    step_register(
        Step(
            "review.score",
            "Peer review to score",
            reviews_to_do,
            kinds=(APPLICATION_KIND,),
            on=REVIEW_VERBS,
            stages=("peer_review",),
        )
    )
    step_register(
        Step(
            "review.close",
            "Peer review to close",
            peer_reviews_to_close,
            kinds=(APPLICATION_KIND,),
            on=REVIEW_VERBS,
            stages=("peer_review",),
        )
    )
    step_register(Step("report", "Report to approve or revise", reports_waiting, kinds=(AWARD_KIND,), on=REPORT_VERBS))
    step_register(
        Step(
            "modification.decision",
            "Modification to decide",
            modifications_to_decide,
            kinds=(AWARD_KIND,),
            on=("modification.submitted", "modification.approved", "modification.denied"),
        )
    )
