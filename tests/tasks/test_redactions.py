"""Site staff redact a task's texts (``tasks/redactions.py``): every earlier version in the task's events, and the
copies in its deadline and notifications, go with it."""

from __future__ import annotations

from reminders.models import Deadline, Notification
from tasks.models import TaskComment
from tasks.services.task import task_comment_add, task_set_status, task_update
from tests.helpers import signed_in as client_for
from workflow.models import Event
from workflow.redactions import MARKER, text_redact

REASON = "It named a client."


def test_a_task_title_goes_from_every_event_and_copy(case, make_task, admin, member, staff):
    task = make_task(title="Call back John Smith about his diagnosis", due_in=5)
    task_update(task=task, actor=admin, title="Call back John Smith (bipolar)")
    task_comment_add(task=task, actor=admin, body="Done by Friday")
    assert Deadline.objects.filter(case=case, title__contains="John Smith").exists()
    assert Notification.objects.filter(case=case, subject__contains="John Smith").exists()
    text_redact(case=case.pk, actor=staff, target="task", object_id=task.pk, field="title", reason=REASON)
    task.refresh_from_db()
    assert task.title == MARKER
    events = list(Event.objects.filter(case=case, data__task=task.pk).values_list("verb", "data"))
    assert "John Smith" not in str(events)
    assert ("task.updated", MARKER) in [(verb, data.get("title")) for verb, data in events]
    updated = next(data for verb, data in events if verb == "task.updated")
    assert updated["changes"]["title"] == [MARKER, MARKER]
    assert not Deadline.objects.filter(case=case, title__contains="John Smith").exists()
    assert not Notification.objects.filter(case=case, subject__contains="John Smith").exists()
    assert Event.objects.get(verb="task.redacted").data == {"task": task.pk, "field": "title", "reason": REASON}


def test_a_blocked_reason_and_a_comment(case, make_task, admin, staff):
    task = make_task()
    task_set_status(task=task, actor=admin, status="blocked", reason="Waiting on Mr. Brown's MRN 445566")
    comment = task_comment_add(task=task, actor=admin, body="Client Jane Doe was hospitalized")
    text_redact(case=case, actor=staff, target="task", object_id=task.pk, field="blocked_reason", reason=REASON)
    text_redact(case=case, actor=staff, target="task_comment", object_id=comment.pk, field="body", reason=REASON)
    task.refresh_from_db()
    assert task.blocked_reason == MARKER
    assert Event.objects.get(verb="task.status").data["reason"] == MARKER
    assert TaskComment.objects.get(pk=comment.pk).body == MARKER


def test_task_page_links_for_staff_only(case, make_task, admin, member, site_staff):
    task = make_task(description="Client Jane Doe, DOB 01/02/1990")
    comment = task_comment_add(task=task, actor=admin, body="Jane Doe called again")
    page = client_for(site_staff).get(f"/tasks/{task.pk}/").content.decode()
    for target, pk, field in (("task", task.pk, "title"), ("task", task.pk, "description"),
                              ("task_comment", comment.pk, "body")):  # fmt: skip
        assert f"/cases/{case.pk}/redact/{target}/{pk}/{field}/?next=%2Ftasks%2F{task.pk}%2F" in page
    assert "/redact/" not in client_for(member).get(f"/tasks/{task.pk}/").content.decode()
    url = f"/cases/{case.pk}/redact/task_comment/{comment.pk}/body/?next=/tasks/{task.pk}/"
    assert client_for(member).post(url, {"reason": REASON}).status_code == 403
    response = client_for(site_staff).post(url, {"reason": REASON})
    assert response.status_code == 302 and response.url == f"/tasks/{task.pk}/"
    assert TaskComment.objects.get(pk=comment.pk).body == MARKER
