"""The deadline source of workflow milestones, registered from ``RemindersConfig.ready()``.

Milestones belong to the workflow engine, which knows nothing of reminders, so
their source lives here. They cover the grant reporting schedule too: the
grants app puts each report on an award's case as a milestone with its due date.
"""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse

from reminders.registry import DeadlineSource, Recipients, organization_members, registry
from workflow.models import Milestone, MilestoneStatus, Participant, ParticipantRole

PARTY_ROLES = (ParticipantRole.LEAD, ParticipantRole.CO_APPLICANT, ParticipantRole.PARTNER)


def milestone_recipients(deadlines: list) -> Recipients:
    """The lead organization's working members; for a joint item, every partner organization's too."""
    deadline_of = {deadline.object_id: deadline.id for deadline in deadlines}
    joint = set(Milestone.objects.filter(id__in=deadline_of, joint=True).values_list("id", flat=True))
    joint_cases = {deadline.case_id for deadline in deadlines if deadline.object_id in joint}
    parties: dict[int, set[int]] = defaultdict(set)
    for case_id, organization_id in Participant.objects.filter(
        case_id__in=joint_cases, role__in=PARTY_ROLES
    ).values_list("case_id", "organization_id"):
        parties[case_id].add(organization_id)
    organizations = {deadline.id: {deadline.case.organization_id} for deadline in deadlines}
    for deadline in deadlines:
        if deadline.object_id in joint:
            organizations[deadline.id] |= parties[deadline.case_id]
    members = organization_members({org for orgs in organizations.values() for org in orgs})
    return {
        deadline_id: {user for org in orgs for user in members.get(org, ())}
        for deadline_id, orgs in organizations.items()
    }


def open_milestones_with_due_date():
    return Milestone.objects.filter(
        status__in=(MilestoneStatus.OPEN, MilestoneStatus.CHANGES_REQUESTED), due_date__isnull=False
    )


def milestone_url(deadline) -> str:
    return reverse("case-detail", args=[deadline.case_id]) + f"#milestone-{deadline.object_id}"


MILESTONE_SOURCE = DeadlineSource(
    key="milestone",
    label="Milestone",
    queryset=open_milestones_with_due_date,
    recipients=milestone_recipients,
    url=milestone_url,
    # Milestones are written by the workflow engine, which knows nothing of reminders: the sweep finds them.
    discover=True,
)


def register_deadline_sources() -> None:
    registry.register(MILESTONE_SOURCE)
