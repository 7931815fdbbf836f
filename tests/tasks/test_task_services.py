"""Task writes: who may create and work on tasks, assignments, status, comments and their visibility, reassigning."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Membership
from accounts.services import membership_deactivate
from config.errors import NotAllowed, NotFound, ServiceError
from reminders.models import Deadline, Notification, NotificationStatus
from tasks import selectors
from tasks.models import Task, TaskStatus
from tasks.services.task import (
    task_bulk_reassign,
    task_comment_add,
    task_create,
    task_set_status,
    task_update,
    task_watch,
)
from workflow.models import Event, Visibility

pytestmark = pytest.mark.django_db


def test_a_task_is_planned_recorded_and_announced_to_its_assignee(make_task, case, admin, member):
    task = make_task(title="Collect baseline call data", due_in=10)

    deadline = Deadline.objects.get(source="task", object_id=task.pk)
    assert (deadline.case_id, deadline.due_date, deadline.time_zone) == (case.pk, task.due_date, "America/Chicago")
    assert deadline.next_remind_at is not None and deadline.closed_at is None
    event = Event.objects.get(case=case, verb="task.created")
    assert event.actor == admin and event.data["task"] == task.pk and event.data["assignee"] == "Max Member"
    assigned = Notification.objects.get(kind="task_activity", recipient=member)
    assert assigned.subject == "Task “Collect baseline call data” was assigned to Max Member by Ada Admin"
    assert assigned.url == f"/tasks/{task.pk}/"


def test_the_behavioral_health_partner_works_on_the_tasks_of_its_cases(case, partner, member, make_task):
    task = task_create(case=case, actor=partner, title="Name a liaison to the police", assignee=member)

    assert task.assignee_organization == member.memberships.get().organization
    task_set_status(task=task, actor=partner, status=TaskStatus.IN_PROGRESS)
    assert selectors.task_list_for_user(user=partner).filter(pk=task.pk).exists()


def test_the_partner_sees_only_the_tasks_of_cases_its_organization_takes_part_in(
    case, partner, admin, organization, make_task
):
    from tests.workflow import machines
    from workflow.services import case_create

    ours = make_task(title="Shared")
    other_case = case_create(kind=machines.KIND, title="Police only", organization=organization, actor=admin)
    private = task_create(case=other_case, actor=admin, title="Internal roster", assignee_organization=organization)

    visible = set(selectors.task_list_for_user(user=partner).values_list("pk", flat=True))
    assert ours.pk in visible and private.pk not in visible


def test_bja_can_ask_the_grantee_for_something(case, grant_manager, organization):
    task = task_create(
        case=case, actor=grant_manager, title="Send the revised budget", assignee_organization=organization
    )

    assert task.assignee is None and task.assignee_organization == organization


def test_viewers_cannot_create_and_outsiders_learn_nothing(case, viewer, outsider, member):
    with pytest.raises(NotAllowed):
        task_create(case=case, actor=viewer, title="x", assignee=member)
    with pytest.raises(NotFound):
        task_create(case=case, actor=outsider, title="x", assignee=member)
    assert not Task.objects.exists()


def test_the_assignee_must_work_on_the_case(case, admin, outsider, viewer, partner_org):
    with pytest.raises(ServiceError) as refused:
        task_create(case=case, actor=admin, title="x", assignee=outsider)
    assert refused.value.field == "assignee" and "Otto" not in refused.value.message
    with pytest.raises(ServiceError):
        task_create(case=case, actor=admin, title="x", assignee=viewer)
    with pytest.raises(ServiceError, match="person or an organization"):
        task_create(case=case, actor=admin, title="x")
    with pytest.raises(ServiceError, match="does not act for"):
        task_create(case=case, actor=admin, title="x", assignee=admin, assignee_organization=partner_org)


def test_blocked_needs_a_reason_and_done_records_who_and_when(make_task, member):
    task = make_task()

    with pytest.raises(ServiceError, match="why"):
        task_set_status(task=task, actor=member, status=TaskStatus.BLOCKED)
    task = task_set_status(task=task, actor=member, status=TaskStatus.BLOCKED, reason="Waiting for counsel")
    assert task.blocked_reason == "Waiting for counsel"
    task = task_set_status(task=task, actor=member, status=TaskStatus.DONE)
    assert (task.completed_by, task.blocked_reason) == (member, "")
    assert task.completed_at is not None
    task = task_set_status(task=task, actor=member, status=TaskStatus.OPEN)
    assert task.completed_at is None and task.completed_by is None
    verbs = [event.data["to"] for event in selectors.task_history(task=task) if event.verb == "task.status"]
    assert verbs == ["blocked", "done", "open"]


def test_an_edit_records_what_changed(make_task, member, partner):
    task = make_task(due_in=3)
    new_date = task.due_date + timedelta(days=14)

    task = task_update(task=task, actor=member, due_date=new_date, priority=3)
    event = selectors.task_history(task=task).last()
    assert event.verb == "task.updated"
    assert event.data["changes"]["due_date"] == [(new_date - timedelta(days=14)).isoformat(), new_date.isoformat()]

    task = task_update(task=task, actor=member, assignee=partner)
    assert task.assignee == partner and task.assignee_organization.name == "Prairie Behavioral Health"
    assert Notification.objects.filter(recipient=partner, kind="task_activity").count() == 1


def test_comment_visibility_is_respected_in_lists_and_in_notifications(
    make_task, case, admin, member, partner, grant_manager
):
    task = make_task(assignee=partner)
    task_watch(task=task, actor=grant_manager)
    everyone = task_comment_add(task=task, actor=member, body="Draft attached.")
    ours = task_comment_add(task=task, actor=member, body="Chief wants changes.", visibility=Visibility.ORGANIZATION)
    with_bja = task_comment_add(
        task=task, actor=member, body="Budget question for BJA.", visibility=Visibility.ORGANIZATION_AND_BJA
    )

    def readable(user):
        return {comment.pk for comment in selectors.comment_list_for_user(user=user, task=task)}

    assert readable(admin) == {everyone.pk, ours.pk, with_bja.pk}
    assert readable(partner) == {everyone.pk}
    assert readable(grant_manager) == {everyone.pk, with_bja.pk}
    told = set(Notification.objects.filter(kind="task_activity", window__startswith="comment").values_list(
        "recipient__full_name", "window"))  # fmt: skip
    assert told == {
        ("Pat Partner", f"comment-{everyone.pk}"),
        ("Gwen Manager", f"comment-{everyone.pk}"),
        ("Gwen Manager", f"comment-{with_bja.pk}"),
        ("Ada Admin", f"comment-{everyone.pk}"),
        ("Ada Admin", f"comment-{ours.pk}"),
        ("Ada Admin", f"comment-{with_bja.pk}"),
    }
    assert not Event.objects.filter(verb="task.commented", data__icontains="Chief").exists()


def test_viewers_may_follow_a_task_but_not_comment(make_task, viewer):
    task = make_task()

    task_watch(task=task, actor=viewer)
    assert viewer in task.watchers.all()
    with pytest.raises(NotAllowed):
        task_comment_add(task=task, actor=viewer, body="hi")


def test_an_admin_hands_a_members_open_tasks_to_someone_else(make_task, organization, admin, member, viewer, outsider):
    open_task, other = make_task(title="One"), make_task(title="Two")
    done = make_task(title="Done already")
    task_set_status(task=done, actor=member, status=TaskStatus.DONE)

    with pytest.raises(NotAllowed):
        task_bulk_reassign(actor=member, organization=organization, from_user=member, to_user=admin)
    with pytest.raises(NotFound):
        task_bulk_reassign(actor=outsider, organization=organization, from_user=member, to_user=admin)
    with pytest.raises(ServiceError):
        task_bulk_reassign(actor=admin, organization=organization, from_user=member, to_user=viewer)

    assert task_bulk_reassign(actor=admin, organization=organization, from_user=member, to_user=admin) == 2
    assert set(Task.objects.filter(assignee=admin).values_list("title", flat=True)) == {"One", "Two"}
    assert Task.objects.get(pk=done.pk).assignee == member
    assert {open_task.pk, other.pk} == set(Task.objects.filter(assignee=admin).values_list("pk", flat=True))


def test_a_member_who_leaves_hands_their_tasks_to_the_organization(make_task, organization, admin, member):
    task = make_task()

    membership_deactivate(actor=admin, membership=Membership.objects.get(user=member, organization=organization))

    task.refresh_from_db()
    assert task.assignee is None and task.assignee_organization == organization
    assert selectors.task_history(task=task).last().actor is None


def test_a_finished_task_closes_its_deadline_and_drops_waiting_reminders(make_task, member):
    from reminders.services.sweep import reminders_sweep

    task = make_task(due_in=1)
    reminders_sweep()
    reminder = Notification.objects.get(kind="task", recipient=member)
    assert reminder.status == NotificationStatus.PENDING

    task_set_status(task=task, actor=member, status=TaskStatus.DONE)

    reminder.refresh_from_db()
    assert reminder.status == NotificationStatus.CANCELLED
    deadline = Deadline.objects.get(source="task", object_id=task.pk)
    assert deadline.closed_at is not None and deadline.next_remind_at is None
    assert timezone.now() - deadline.closed_at < timedelta(seconds=5)
