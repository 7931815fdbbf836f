"""The engine's own steps that wait on people: milestones to approve and joint milestones to sign off.

Registered from ``WorkflowConfig.ready()`` (``workflow.routing``). A case kind whose machine moves its milestones
through steps of its own (``Machine.milestone_owner``: a grant report's chain) declares those steps itself, so
its milestones are left out here.
"""

from __future__ import annotations

from django.urls import reverse

from accounts.models import Role
from workflow.machines import registry as machines
from workflow.models import Milestone, MilestoneStatus, Participant
from workflow.roles import GRANT_MANAGERS, LEAD_ADMINS
from workflow.routing import Step, Waiting, step_register

PARTY_ROLES = ("lead", "co_applicant", "partner")
MILESTONE_VERBS = ("milestone.submitted", "milestone.signed", "milestone.approved", "milestone.changes_requested")


def _engine_kinds() -> set[str]:
    return {machine.kind for machine in machines if machine.milestone_owner is None}


def _submitted(case_ids: list[int]) -> tuple[list[Milestone], dict[int, set[int]], dict[int, set[int]]]:
    """Submitted milestones of kinds the engine moves, with each joint one's signed organizations and each
    case's parties (three queries for the batch)."""
    milestones = list(
        Milestone.objects.filter(
            case_id__in=case_ids, status=MilestoneStatus.SUBMITTED, case__kind__in=_engine_kinds()
        ).only("id", "case_id", "title", "joint", "needs_bja_approval", "submitted_by_id", "submitted_at")
    )
    joint = [m.pk for m in milestones if m.joint]
    signed: dict[int, set[int]] = {m: set() for m in joint}
    parties: dict[int, set[int]] = {}
    if joint:
        from workflow.models import MilestoneSignoff

        for milestone_id, organization_id in MilestoneSignoff.objects.filter(milestone_id__in=joint).values_list(
            "milestone_id", "organization_id"
        ):
            signed[milestone_id].add(organization_id)
        cases = {m.case_id for m in milestones if m.joint}
        for case_id, organization_id in Participant.objects.filter(
            case_id__in=cases, role__in=PARTY_ROLES, organization__is_active=True
        ).values_list("case_id", "organization_id"):
            parties.setdefault(case_id, set()).add(organization_id)
    return milestones, signed, parties


def _url(milestone: Milestone) -> str:
    return reverse("case-detail", args=[milestone.case_id]) + f"#milestone-{milestone.pk}"


def milestones_to_approve(case_ids: list[int]) -> list[Waiting]:
    """A submitted milestone, once every party signed a joint one: BJA's grant managers when it needs BJA's
    approval, else the lead agency's admins; never whoever submitted it."""
    milestones, signed, parties = _submitted(case_ids)
    return [
        Waiting(
            step="milestone.approval",
            case_id=m.case_id,
            object_id=m.pk,
            action=f"Approve the milestone “{m.title}”",
            url=_url(m),
            roles=(GRANT_MANAGERS.key if m.needs_bja_approval else LEAD_ADMINS.key,),
            except_user=m.submitted_by_id,
            since=m.submitted_at,
        )
        for m in milestones
        if not m.joint or not (parties.get(m.case_id, set()) - signed[m.pk])
    ]


def milestones_to_sign(case_ids: list[int]) -> list[Waiting]:
    """A submitted joint milestone: the admins of each party organization that has not signed it yet."""
    milestones, signed, parties = _submitted(case_ids)
    items = []
    for m in milestones:
        unsigned = sorted(parties.get(m.case_id, set()) - signed.get(m.pk, set())) if m.joint else []
        if unsigned:
            items.append(
                Waiting(
                    step="milestone.signoff",
                    case_id=m.case_id,
                    object_id=m.pk,
                    action=f"Sign off on “{m.title}” for your organization",
                    url=_url(m),
                    organizations=tuple((organization, Role.ADMIN) for organization in unsigned),
                    since=m.submitted_at,
                )
            )
    return items


def register_waiting_steps() -> None:
    step_register(Step("milestone.approval", "Milestone to approve", find=milestones_to_approve, on=MILESTONE_VERBS))
    step_register(Step("milestone.signoff", "Joint milestone to sign off", find=milestones_to_sign, on=MILESTONE_VERBS))
