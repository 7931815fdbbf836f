"""Shared tasks and notifications in a real browser: add a task inline, work on it, read the notification, axe-core."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import OrganizationKind, Role
from reminders.services.sweep import reminders_sweep
from tasks.models import Task, TaskStatus
from tests import factories
from tests.e2e.test_login import assert_accessible, assert_styled, sign_in
from tests.factories import TEST_PASSWORD
from tests.workflow import machines
from workflow.models import ParticipantRole
from workflow.services import case_create

pytestmark = pytest.mark.browser


@pytest.fixture
def shared_case(organization, admin):
    partner_org = factories.OrganizationFactory(
        name="Prairie Behavioral Health", kind=OrganizationKind.BEHAVIORAL_HEALTH
    )
    clinician = factories.member_of(partner_org, Role.MEMBER, full_name="Casey Clinician")
    case = case_create(
        kind=machines.KIND, title="Springfield co-responder program", organization=organization, actor=admin,
        participants={partner_org: ParticipantRole.CO_APPLICANT},
    )  # fmt: skip
    return case, clinician


def test_a_police_admin_adds_a_task_for_the_clinician_who_works_on_it(page, admin, shared_case):
    case, clinician = shared_case
    due = timezone.localdate() + timedelta(days=1)
    sign_in(page, admin.email, TEST_PASSWORD)

    page.goto(f"/cases/{case.pk}/tasks/")
    assert page.get_by_role("heading", level=1).inner_text() == f"Tasks of {case.title}"
    assert_styled(page)
    assert_accessible(page)
    form = page.locator("form").filter(has=page.get_by_role("button", name="Add task"))
    form.get_by_label(re.compile(r"^Task")).fill("Map crisis services and their gaps")
    form.get_by_label("Assigned to").select_option(label="Casey Clinician")
    form.get_by_label("Due date").fill(due.isoformat())
    form.get_by_label("Priority").select_option(label="High")
    form.get_by_role("button", name="Add task").click()
    page.wait_for_load_state()

    assert "Task “Map crisis services and their gaps” was added." in page.get_by_role("status").first.inner_text()
    row = page.get_by_role("row").filter(has_text="Map crisis services and their gaps")
    assert "due in 1 day" in row.inner_text() and "Casey Clinician" in row.inner_text()
    task = Task.objects.get()
    assert (task.assignee, task.due_date) == (clinician, due)

    page.get_by_role("button", name="Sign out").click()
    reminders_sweep()
    sign_in(page, clinician.email, TEST_PASSWORD)
    nav = page.get_by_role("navigation", name="Primary")
    assert nav.get_by_role("link", name="Notifications 2 unread").is_visible()
    nav.get_by_role("link", name="My tasks").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My tasks"
    assert_accessible(page)
    page.get_by_role("link", name="Map crisis services and their gaps").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Map crisis services and their gaps"
    assert "due in 1 day" in page.locator(".app-summary").inner_text()
    assert_accessible(page)

    status = page.locator("form").filter(has=page.get_by_role("button", name="Change status"))
    status.get_by_label("Status").select_option(label="Blocked")
    status.get_by_label("Why is it blocked?").fill("Waiting for the county's crisis line data")
    status.get_by_role("button", name="Change status").click()
    page.wait_for_load_state()
    assert "The task is now blocked." in page.get_by_role("status").first.inner_text()
    comment = page.locator("form").filter(has=page.get_by_role("button", name="Add comment"))
    comment.get_by_label("Comment").fill("The county will send the data on Friday.")
    comment.get_by_role("button", name="Add comment").click()
    page.wait_for_load_state()
    assert "The county will send the data on Friday." in page.get_by_role("region", name="Comments").inner_text()
    history = page.get_by_role("region", name="History").inner_text()
    assert (
        "Casey Clinician changed the status from Open to Blocked — Waiting for the county's crisis line data."
        in history
    )
    assert Task.objects.get().status == TaskStatus.BLOCKED

    page.goto("/notifications/")
    assert_accessible(page)
    page.get_by_role("button", name="Mark all as read").click()
    page.wait_for_load_state()
    assert (
        page.get_by_role("navigation", name="Primary").get_by_role("link", name="Notifications 0 unread").is_visible()
    )
    assert page.broken_responses == []


def test_preferences_and_calendar_pages_work_and_are_accessible(page, member):
    sign_in(page, member.email, TEST_PASSWORD)

    page.goto("/notifications/preferences/")
    assert_accessible(page)
    page.locator("label", has_text="14 days before").click()  # USWDS styles the label; the box is hidden.
    page.get_by_label("Task due dates").select_option(label="Include it in my daily digest")
    page.get_by_role("button", name="Save preferences").click()
    page.wait_for_load_state()
    assert "Your reminder preferences were saved." in page.get_by_role("status").first.inner_text()
    assert page.get_by_label("14 days before").is_checked()

    page.goto("/calendar/")
    assert_accessible(page)
    page.get_by_label("Name (for you to recognise it)").fill("Outlook")
    page.get_by_role("button", name="Make a calendar address").click()
    page.wait_for_load_state()
    address = page.get_by_label("Calendar address").input_value()
    assert address.endswith(".ics")
    assert_accessible(page)
    feed = page.request.get(address)
    assert feed.status == 200 and feed.text().startswith("BEGIN:VCALENDAR")
