"""Writes on tasks: create, edit, change status, comment, watch, reassign.

Anyone who works on the case (the ``edit`` right of a participating
organization's admins and members, or BJA's ``review`` right) may create and
work on its tasks; viewers may read them; outsiders do not learn they exist.
Each write records an event on the case's timeline and re-syncs the task's
deadline in the same transaction, so an extension moves its reminders and a
finished task gets no more.
"""

from __future__ import annotations

from datetime import date, time

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, User
from config.errors import NotAllowed, ServiceError
from reminders.services.deadlines import deadline_sync
from tasks import selectors
from tasks.models import OPEN_STATUSES, Task, TaskComment, TaskPriority, TaskStatus
from tasks.services.activity import assignment_notify, comment_notify
from workflow.access import EDIT, REVIEW, VIEW, acting_organizations, case_require, reviews_anonymously
from workflow.models import Case, Milestone, Visibility
from workflow.services import event_record

EDITABLE = ("title", "description", "due_date", "due_time", "priority", "milestone")


def _require_work(*, actor: User, case: Case) -> None:
    message = "Only people who work on this case can change its tasks."
    case_require(user=actor, case=case, action=(EDIT, REVIEW), message=message, not_found="Task not found.")


def _working_organizations(*, user: User, case: Case) -> list[Organization]:
    return acting_organizations(user=user, case=case, action=EDIT) or acting_organizations(
        user=user, case=case, action=REVIEW
    )


def _assignment(
    *, case: Case, assignee: User | None, organization: Organization | None, prefer: Organization | None = None
) -> tuple:
    """(user or None, responsible organization), checked against the case's participants."""
    if assignee is not None:
        organizations = _working_organizations(user=assignee, case=case)
        if not organizations:
            # No name in the message: an id must not reveal who a stranger is.
            raise ServiceError("That person does not work on this case.", field="assignee", code="not_participant")
        if organization is not None and organization not in organizations:
            raise ServiceError("That person does not act for that organization here.", field="assignee_organization")
        return assignee, organization or (prefer if prefer in organizations else organizations[0])
    if organization is None:
        raise ServiceError("Assign the task to a person or an organization.", field="assignee", code="required")
    if not case.participations.filter(organization=organization).exists():
        raise ServiceError("That organization does not take part in this case.", field="assignee_organization")
    return None, organization


def _check_milestone(case: Case, milestone: Milestone | None) -> None:
    if milestone is not None and milestone.case_id != case.pk:
        raise ServiceError("That milestone belongs to another case.", field="milestone")


def _sync(task: Task) -> None:
    deadline_sync(source="task", object_ids=[task.pk])


def _record(task: Task, actor: User | None, verb: str, **data):
    return event_record(case=task.case, actor=actor, verb=verb, data={"task": task.pk, "title": task.title, **data})


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, date | time) else value


@transaction.atomic
def task_create(
    *,
    case: Case,
    actor: User,
    title: str,
    assignee: User | None = None,
    assignee_organization: Organization | None = None,
    description: str = "",
    due_date: date | None = None,
    due_time: time | None = None,
    priority: int = TaskPriority.NORMAL,
    milestone: Milestone | None = None,
    origin_kind: str = "",
    origin_id: int | None = None,
    origin_label: str = "",
) -> Task:
    _require_work(actor=actor, case=case)
    assignee, organization = _assignment(case=case, assignee=assignee, organization=assignee_organization)
    _check_milestone(case, milestone)
    task = Task(
        case=case, title=title.strip(), description=description, assignee=assignee,
        assignee_organization=organization, created_by=actor, due_date=due_date, due_time=due_time,
        priority=priority, milestone=milestone, origin_kind=origin_kind, origin_id=origin_id,
        origin_label=origin_label,
    )  # fmt: skip
    task.full_clean()
    task.save()
    event = _record(task, actor, "task.created", assignee=task.assignee_label, due_date=_iso(due_date))
    _sync(task)
    assignment_notify(task=task, actor=actor, event_id=event.pk)
    return task


def _locked(task: Task) -> Task:
    return Task.objects.select_for_update(of=("self",)).select_related("case", "assignee_organization").get(pk=task.pk)


@transaction.atomic
def task_update(*, task: Task, actor: User, **fields) -> Task:
    """Edit the fields in `fields` (title, description, due date and time, priority, milestone, assignment)."""
    task = _locked(task)
    _require_work(actor=actor, case=task.case)
    changes = {}
    for name in EDITABLE:
        if name in fields and getattr(task, name) != fields[name]:
            changes[name] = [_iso(getattr(task, name)), _iso(fields[name])]
            setattr(task, name, fields[name])
    if "milestone" in changes:
        _check_milestone(task.case, task.milestone)
        changes["milestone"] = [value and getattr(value, "pk", value) for value in changes["milestone"]]
    reassigned = False
    if "assignee" in fields or "assignee_organization" in fields:
        wanted = fields.get("assignee", task.assignee)
        assignee, organization = _assignment(
            case=task.case,
            assignee=wanted,
            organization=fields.get("assignee_organization") or (None if wanted else task.assignee_organization),
            prefer=task.assignee_organization,
        )
        if (assignee, organization) != (task.assignee, task.assignee_organization):
            before = task.assignee_label
            task.assignee, task.assignee_organization = assignee, organization
            changes["assignee"] = [before, task.assignee_label]
            reassigned = True
    if not changes:
        return task
    task.full_clean()
    task.save()
    verb = "task.rescheduled" if set(changes) <= {"due_date", "due_time"} else "task.updated"
    event = _record(task, actor, verb, changes=changes)
    _sync(task)
    if reassigned:
        assignment_notify(task=task, actor=actor, event_id=event.pk)
    return task


@transaction.atomic
def task_set_status(*, task: Task, actor: User, status: str, reason: str = "") -> Task:
    task = _locked(task)
    _require_work(actor=actor, case=task.case)
    if status not in TaskStatus.values:
        raise ServiceError(f"“{status}” is not a task status.", field="status", code="invalid_choice")
    if status == TaskStatus.BLOCKED and not reason.strip():
        raise ServiceError("Say why the task is blocked.", field="reason", code="required")
    if status == task.status and status != TaskStatus.BLOCKED:
        return task
    before = task.status
    task.status = status
    task.blocked_reason = reason.strip() if status == TaskStatus.BLOCKED else ""
    if status in OPEN_STATUSES:
        task.completed_at = task.completed_by = None
    elif before in OPEN_STATUSES:
        task.completed_at, task.completed_by = timezone.now(), actor
    task.full_clean()
    task.save()
    _record(task, actor, "task.status", **{"from": before, "to": status, "reason": task.blocked_reason})
    _sync(task)
    return task


@transaction.atomic
def task_comment_add(*, task: Task, actor: User, body: str, visibility: str = Visibility.ALL) -> TaskComment:
    _require_work(actor=actor, case=task.case)
    if not body.strip():
        raise ServiceError("Write a comment first.", field="body", code="required")
    if visibility not in Visibility.values:
        raise ServiceError(f"“{visibility}” is not a visibility.", field="visibility", code="invalid_choice")
    organizations = _working_organizations(user=actor, case=task.case)
    if not organizations:
        raise NotAllowed("Only members of a participating organization can comment.")
    comment = TaskComment(task=task, author=actor, organization=organizations[0], body=body.strip())
    comment.visibility = visibility
    comment.full_clean()
    comment.save()
    # The event says that someone commented, never what: the timeline is read by every participant.
    _record(task, actor, "task.commented", comment=comment.pk, visibility=visibility)
    comment_notify(comment=comment, readers=selectors.comment_readers(comment=comment))
    return comment


@transaction.atomic
def task_watch(*, task: Task, actor: User, watching: bool = True) -> Task:
    """Follow a task (its reminders and comments) or stop. Reading the case is enough: it is your own inbox."""
    rights = case_require(user=actor, case=task.case, action=VIEW, message="", not_found="Task not found.")
    if reviews_anonymously(rights):
        # Watchers are listed on the task: a peer reviewer's name would reach the applicants.
        raise NotAllowed("Peer reviewers stay anonymous: they cannot follow the applicants' tasks.")
    if watching:
        task.watchers.add(actor)
    else:
        task.watchers.remove(actor)
    return task


@transaction.atomic
def task_bulk_reassign(
    *, actor: User | None, organization: Organization, from_user: User, to_user: User | None = None
) -> int:
    """Hand every open task `from_user` holds for `organization` to `to_user`, or to the organization itself.

    For when a member leaves: an organization admin (or the system, `actor` None) does it in one step.
    """
    if actor is not None:
        selectors.organization_admin_check(user=actor, organization=organization)
    if to_user is not None and not selectors.is_working_member(user=to_user, organization=organization):
        raise ServiceError("That person is not an active member of this organization.", field="to_user")
    tasks = list(
        Task.objects.select_for_update(of=("self",))
        .select_related("case", "assignee_organization", "assignee")
        .filter(assignee=from_user, assignee_organization=organization, status__in=OPEN_STATUSES)
    )
    for task in tasks:
        before = task.assignee_label
        task.assignee = to_user
        task.save(update_fields=["assignee", "updated_at"])
        event = _record(task, actor, "task.updated", changes={"assignee": [before, task.assignee_label]})
        # Handed back to the organization, the tasks show in its list; telling every member of each one
        # would flood their inboxes. A person who receives them is told of each.
        if to_user is not None:
            assignment_notify(task=task, actor=actor, event_id=event.pk)
    return len(tasks)
