"""Demo tasks (settings.DEMO_LOADERS): a few shared tasks on the first demo case, when there is one.

Cases belong to the domain apps (grants, partnerships), whose loaders run
before this one. Without any case there is nothing to hang tasks on, and the
loader says so. Idempotent: tasks are matched by title on their case.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from tasks.models import Task, TaskPriority
from tasks.selectors import assignable_groups
from tasks.services.task import task_create, task_set_status
from workflow.models import Case

DEMO_TASKS = [
    # (title, days from today, priority, for a person?, blocked reason)
    ("Draft the memorandum of understanding with the behavioral health partner", 5, TaskPriority.HIGH, True, ""),
    ("Collect baseline data on mental-health calls for service", 1, TaskPriority.NORMAL, True, ""),
    ("Schedule the first planning committee meeting", -2, TaskPriority.URGENT, False, ""),
    ("Confirm clinician availability for co-response shifts", 12, TaskPriority.NORMAL, False, ""),
    ("Review the information-sharing agreement with counsel", 20, TaskPriority.NORMAL, True, "Waiting for counsel"),
]


@transaction.atomic
def load() -> int:
    case = (
        Case.objects.filter(closed_at__isnull=True).select_related("organization").order_by("opened_at", "id").first()
    )
    if case is None:
        print("tasks demo: no case exists yet (no domain case kind has made one), so no demo tasks were added.")
        return 0
    groups = [(org, people) for org, people in assignable_groups(case=case) if people]
    if not groups:
        print(f"tasks demo: nobody works on “{case}”, so no demo tasks were added.")
        return 0
    creator = next(
        (m.user for m in case.organization.memberships.filter(is_active=True, role=Role.ADMIN).select_related("user")),
        groups[0][1][0],
    )
    today = timezone.localdate()
    created = 0
    for position, (title, days, priority, personal, blocked) in enumerate(DEMO_TASKS):
        if Task.objects.filter(case=case, title=title).exists():
            continue
        organization, people = groups[position % len(groups)]
        task = task_create(
            case=case, actor=creator, title=title, due_date=today + timedelta(days=days), priority=priority,
            assignee=people[position % len(people)] if personal else None, assignee_organization=organization,
        )  # fmt: skip
        if blocked:
            task_set_status(task=task, actor=creator, status="blocked", reason=blocked)
        created += 1
    return created
