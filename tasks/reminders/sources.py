"""The deadline sources this app registers: task due dates and workflow milestone due dates.

Milestones cover the grant reporting schedule too: the grants app puts each
report on an award's case as a milestone with its due date.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.urls import reverse

from accounts.models import Role
from tasks.models import OPEN_STATUSES, Task
from tasks.reminders.registry import DeadlineSource, Recipients, organization_members, registry
from workflow.access import user_organization_ids
from workflow.models import Milestone, MilestoneStatus, Participant, ParticipantRole

PARTY_ROLES = (ParticipantRole.LEAD, ParticipantRole.CO_APPLICANT, ParticipantRole.PARTNER)


def _by_object(deadlines: list) -> dict[int, int]:
    return {deadline.object_id: deadline.id for deadline in deadlines}


def task_recipients(deadlines: list) -> Recipients:
    """The assignee (or, for a task of a whole organization, its working members) and the watchers."""
    deadline_of = _by_object(deadlines)
    tasks = list(Task.objects.filter(id__in=deadline_of).values("id", "assignee_id", "assignee_organization_id"))
    members = organization_members({task["assignee_organization_id"] for task in tasks if not task["assignee_id"]})
    recipients: Recipients = defaultdict(set)
    for task in tasks:
        people = {task["assignee_id"]} if task["assignee_id"] else members.get(task["assignee_organization_id"], set())
        recipients[deadline_of[task["id"]]] |= people
    for task_id, user_id in Task.watchers.through.objects.filter(task_id__in=deadline_of).values_list(
        "task_id", "user_id"
    ):
        recipients[deadline_of[task_id]].add(user_id)
    return recipients


def task_escalation(deadlines: list) -> Recipients:
    """Admins of the organization responsible for the task."""
    deadline_of = _by_object(deadlines)
    tasks = list(Task.objects.filter(id__in=deadline_of).values_list("id", "assignee_organization_id"))
    admins = organization_members({organization for _, organization in tasks}, roles=(Role.ADMIN,))
    return {deadline_of[task]: set(admins.get(organization, ())) for task, organization in tasks}


def task_feed_filter(user) -> Q:
    """A calendar shows the user's own tasks: theirs, their organizations' unassigned ones, and watched ones."""
    mine = Task.objects.filter(
        Q(assignee=user)
        | Q(assignee__isnull=True, assignee_organization__in=user_organization_ids(user))
        | Q(watchers=user)
    ).values("id")
    return Q(object_id__in=mine)


def milestone_recipients(deadlines: list) -> Recipients:
    """The lead organization's working members; for a joint item, every partner organization's too."""
    deadline_of = _by_object(deadlines)
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


TASK_SOURCE = DeadlineSource(
    key="task",
    label="Task",
    queryset=lambda: Task.objects.filter(status__in=OPEN_STATUSES, due_date__isnull=False),
    due_time="due_time",
    recipients=task_recipients,
    escalation=task_escalation,
    url=lambda deadline: reverse("task-detail", args=[deadline.object_id]),
    feed_filter=task_feed_filter,
    # tasks.services call deadline_sync in the transaction of every change: the sweep never scans tasks.
    discover=False,
)

MILESTONE_SOURCE = DeadlineSource(
    key="milestone",
    label="Milestone",
    queryset=lambda: Milestone.objects.filter(
        status__in=(MilestoneStatus.OPEN, MilestoneStatus.CHANGES_REQUESTED), due_date__isnull=False
    ),
    recipients=milestone_recipients,
    url=lambda deadline: reverse("case-detail", args=[deadline.case_id]) + f"#milestone-{deadline.object_id}",
    # Milestones are written by the workflow engine, which knows nothing of reminders: the sweep finds them.
    discover=True,
)


def register_sources() -> None:
    registry.register(TASK_SOURCE)
    registry.register(MILESTONE_SOURCE)
