"""Reads of the tasks app. Every list starts from ``Case.objects.visible_to``: no view filters by hand."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from accounts.models import Membership, Organization, OrganizationKind, Role, User
from accounts.selectors import membership_role, organization_admin_require
from tasks.models import Task, TaskComment
from workflow.access import VIEW, case_access, organization_ids, user_organization_ids
from workflow.models import Case, Event, ParticipantRole, Visibility


def _on_visible_cases(user: User, action: str = VIEW) -> Q:
    """Tasks of the cases the user may see."""
    return case_access(user, action, case_field="case_id")


def task_order(queryset: QuerySet[Task]) -> QuerySet[Task]:
    """Overdue first, then by due date (earliest first), undated last; urgent before normal on a day."""
    return queryset.order_by(F("due_date").asc(nulls_last=True), "-priority", "id")


def task_with_relations(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """The tasks with what a list row shows."""
    return tasks.select_related("case", "case__organization", "assignee", "assignee_organization")


def task_list_for_user(*, user: User) -> QuerySet[Task]:
    """Every task of every case the user may see, with what a list row shows."""
    return task_with_relations(Task.objects.filter(_on_visible_cases(user)))


def mine_condition(user: User) -> Q:
    """Tasks for the user or, unassigned to a person, for one of their organizations.

    The organization ids are read first (with the API's token, else one small query) and written into the condition
    as constants: then PostgreSQL answers the OR with two index scans (``task_assignee_status_due_idx``,
    ``task_org_status_due_idx``) instead of testing every open task, which for a grant manager with no
    task of their own meant reading a million rows to show none (1.2 s on the national data).
    """
    return Q(assignee=user) | Q(assignee__isnull=True, assignee_organization_id__in=organization_ids(user))


def task_list_mine(*, user: User) -> QuerySet[Task]:
    return task_list_for_user(user=user).filter(mine_condition(user))


def task_list_for_case(*, user: User, case: Case) -> QuerySet[Task]:
    return task_list_for_user(user=user).filter(case=case)


def task_list_for_organization(*, user: User, organization: Organization) -> QuerySet[Task]:
    """The organization's tasks, among the cases the user may see."""
    return task_list_for_user(user=user).filter(assignee_organization=organization)


def task_get_for_user(*, user: User, task_id: int) -> Task:
    """The task, or Task.DoesNotExist (answer 404) when the user may not see its case."""
    return task_list_for_user(user=user).select_related("created_by", "completed_by", "milestone").get(pk=task_id)


def _comment_condition(user: User) -> Q:
    organizations = user_organization_ids(user)
    federal = user_organization_ids(user, kind=OrganizationKind.FEDERAL)
    bja_in_case = Q(task__case__participations__organization__in=federal)
    return (
        Q(visibility=Visibility.ALL)
        | Q(organization__in=organizations)
        | (Q(visibility=Visibility.ORGANIZATION_AND_BJA) & bja_in_case)
    )


def comment_list_for_user(*, user: User, task: Task) -> QuerySet[TaskComment]:
    """Comments on a task the user may read: all participants', their organization's, and "with BJA" ones."""
    comments = TaskComment.objects.filter(task=task).select_related("author", "organization")
    if not user.is_staff:
        comments = comments.filter(_comment_condition(user)).distinct()
    return comments.order_by("created_at", "id")


def comment_readers(*, comment: TaskComment) -> set[int] | None:
    """Ids of the people a comment's visibility lets read it; None means everyone who sees the case."""
    if comment.visibility == Visibility.ALL:
        return None
    organizations = [comment.organization_id]
    if comment.visibility == Visibility.ORGANIZATION_AND_BJA:
        organizations += list(
            comment.task.case.participations.filter(organization__kind=OrganizationKind.FEDERAL).values_list(
                "organization_id", flat=True
            )
        )
    members = Membership.objects.active().filter(organization_id__in=organizations).values_list("user_id", flat=True)
    return set(members) | set(User.objects.filter(is_staff=True, is_active=True).values_list("id", flat=True))


def task_history(*, task: Task) -> QuerySet[Event]:
    return Event.objects.filter(case_id=task.case_id, data__task=task.pk).select_related("actor").order_by("created_at")


def organization_admin_check(*, user: User, organization: Organization) -> None:
    message = "Only an administrator of this organization can reassign its tasks."
    organization_admin_require(user=user, organization=organization, message=message)


def is_working_member(*, user: User, organization: Organization) -> bool:
    return membership_role(user=user, organization=organization) not in (None, Role.VIEWER)


def assignable_groups(*, case: Case) -> list[tuple[Organization, list[User]]]:
    """Who a task on this case can go to: each participating organization, and its people who work on cases.

    Party organizations' admins and members hold the edit right; a reviewing agency's grant managers the
    review right (the same rule as ``workflow.access.RIGHTS``). Two queries.
    """
    participants = list(case.participations.select_related("organization").order_by("added_at", "id"))
    reviewing = {p.organization_id for p in participants if p.role == ParticipantRole.REVIEWER}
    memberships = (
        Membership.objects.active()
        .filter(organization__in=[p.organization_id for p in participants])
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    people: dict[int, list[User]] = {p.organization_id: [] for p in participants}
    for membership in memberships:
        roles = (Role.GRANT_MANAGER,) if membership.organization_id in reviewing else (Role.ADMIN, Role.MEMBER)
        if membership.role in roles:
            people[membership.organization_id].append(membership.user)
    return [(p.organization, people[p.organization_id]) for p in participants if p.organization.is_active]


def organization_members_for_reassign(*, organization: Organization) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        memberships__organization=organization,
        memberships__is_active=True,
        memberships__role__in=[role for role in Role.values if role != Role.VIEWER],
    ).order_by("full_name", "email")
