"""The demo loader adds a few shared tasks to the first case, once; without any case it says so and does nothing."""

from __future__ import annotations

import pytest

from reminders.models import Deadline
from tasks.demo import load
from tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db


def test_without_a_case_the_loader_does_nothing_and_says_why(capsys):
    assert load() == 0
    assert "no case exists yet" in capsys.readouterr().out
    assert not Task.objects.exists()


def test_demo_tasks_are_shared_across_the_partners_and_loaded_once(case, admin, member, partner):
    assert load() == 5
    assert load() == 0

    tasks = Task.objects.filter(case=case)
    assert tasks.count() == 5
    assert {task.assignee_organization.name for task in tasks} == {
        "Springfield Police Department", "Prairie Behavioral Health",
    }  # fmt: skip
    assert tasks.filter(status=TaskStatus.BLOCKED).count() == 1
    assert Deadline.objects.filter(source="task").count() == 5, "their reminders are planned"
