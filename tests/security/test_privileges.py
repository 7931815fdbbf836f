"""Privilege faults an outside probe found, each held shut: rights nobody may grant themselves, and peer reviewers
who may write nothing outside their review (anything else would name them to the applicants)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from config.errors import NotAllowed
from grants import services as grants_services
from tasks.models import Task
from tasks.services.task import task_create
from tests.helpers import api_client
from workflow import services
from workflow.access import case_rights
from workflow.models import CaseUserPermission, Event


@pytest.fixture
def assigned(in_peer_review, grant_manager, reviewer):
    grants_services.reviewer_assign(application=in_peer_review, reviewer=reviewer, actor=grant_manager)
    return in_peer_review


@pytest.fixture
def task(assigned, admin):
    return task_create(case=assigned.case, actor=admin, title="Send the signed MOU", assignee=admin)


def test_an_applicant_admin_cannot_grant_themselves_the_review_right(submitted, admin):
    case = submitted.case
    with pytest.raises(NotAllowed):
        services.case_grant(case=case, user=admin, permission="review_case", actor=admin)
    response = api_client(admin).post(
        f"/api/v1/cases/{case.pk}/grants/", {"email": admin.email, "permission": "review_case"}, format="json"
    )
    assert response.status_code == 403, response.content
    assert "score" not in case_rights(user=admin, case=case)
    assert not CaseUserPermission.objects.filter(content_object=case).exists()


def test_an_applicant_admin_cannot_revoke_a_peer_reviewer(assigned, admin, reviewer):
    response = api_client(admin).post(
        f"/api/v1/cases/{assigned.case_id}/grants/revoke/",
        {"email": reviewer.email, "permission": "review_case"},
        format="json",
    )
    assert response.status_code == 403, response.content
    assert "score" in case_rights(user=reviewer, case=assigned.case)


def test_nobody_grants_a_right_they_do_not_hold(assigned, grant_manager, reviewer2):
    """A grant manager manages the case but does not work on it: they cannot hand out the edit right."""
    with pytest.raises(NotAllowed):
        services.case_grant(case=assigned.case, user=reviewer2, permission="change_case", actor=grant_manager)
    services.case_grant(case=assigned.case, user=reviewer2, permission="review_case", actor=grant_manager)
    assert case_rights(user=reviewer2, case=assigned.case) == {"view", "score"}


def test_a_peer_reviewer_writes_nothing_on_the_applicants_tasks(assigned, task, reviewer):
    client = api_client(reviewer)
    events_before = Event.objects.filter(case=assigned.case).count()
    assert client.get(f"/api/v1/tasks/{task.pk}/").status_code == 200  # They may read what they review.
    refused = {
        "create": client.post(f"/api/v1/cases/{assigned.case_id}/tasks/", {"title": "Mine"}, format="json"),
        "create (flat)": client.post(
            "/api/v1/tasks/", {"case": assigned.case_id, "title": "Mine", "assignee": reviewer.pk}, format="json"
        ),
        "status": client.post(f"/api/v1/tasks/{task.pk}/status/", {"status": "in_progress"}, format="json"),
        "comment": client.post(f"/api/v1/tasks/{task.pk}/comments/", {"body": "Hello"}, format="json"),
        "watch": client.post(f"/api/v1/tasks/{task.pk}/watch/"),
        "edit": client.patch(f"/api/v1/tasks/{task.pk}/", {"title": "Renamed"}, format="json"),
    }
    assert {name: response.status_code for name, response in refused.items()} == dict.fromkeys(refused, 403)
    assert Task.objects.filter(case=assigned.case).count() == 1
    assert not task.watchers.exists()
    assert Event.objects.filter(case=assigned.case).count() == events_before, "a refused write named nobody"


def test_peer_reviewers_stay_anonymous_to_one_another(assigned, grant_manager, reviewer, reviewer2):
    from grants.models import ReviewAssignment
    from tests.grants import flow
    from tests.grants.test_pages import page_client

    grants_services.reviewer_assign(application=assigned, reviewer=reviewer2, actor=grant_manager)
    for person in (reviewer, reviewer2):
        grants_services.review_declare(application=assigned, actor=person, no_conflict=True)
        grants_services.review_submit(
            application=assigned, actor=person, scores=flow.scores_for(assigned, Decimal("0.8"))
        )
    assert ReviewAssignment.objects.filter(application=assigned, status="submitted").count() == 2

    answer = api_client(reviewer).get(f"/api/v1/applications/{assigned.pk}/reviews/").json()
    reviews = answer["results"] if isinstance(answer, dict) else answer
    assert len(reviews) == 2
    other = next(review for review in reviews if review["reviewer"] != reviewer.pk)
    assert other["reviewer"] is None and other["reviewer_name"].startswith("Reviewer ")
    page = page_client(reviewer).get(assigned.get_absolute_url()).content.decode()
    assert reviewer2.full_name not in page and reviewer2.email not in page

    staff_view = api_client(grant_manager).get(f"/api/v1/applications/{assigned.pk}/reviews/").json()
    staff_reviews = staff_view["results"] if isinstance(staff_view, dict) else staff_view
    assert {review["reviewer"] for review in staff_reviews} == {reviewer.pk, reviewer2.pk}


def test_a_peer_reviewer_is_not_offered_buttons_that_would_name_them(assigned, task, reviewer):
    from tests.grants.test_pages import page_client

    page = page_client(reviewer).get(f"/tasks/{task.pk}/")
    assert page.status_code == 200
    assert b"Follow this task" not in page.content
    refused = page_client(reviewer).post(f"/tasks/{task.pk}/watch/", {"watching": "1"})
    assert refused.status_code == 403
    assert not task.watchers.exists()


def test_whatever_a_peer_reviewer_does_is_recorded_for_the_reviewers_only(assigned, reviewer, admin):
    """By construction: even an event a service records for everyone is kept from the applicants."""
    event = services.event_record(case=assigned.case, actor=reviewer, verb="document.viewed")
    assert event.audience == "reviewers"
    assert services.event_record(case=assigned.case, actor=admin, verb="document.viewed").audience == "all"
