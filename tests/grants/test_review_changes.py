"""A review half-way (a draft for the reviewer alone), a silent reviewer replaced, and a comment for every score."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from config.errors import Conflict, NotAllowed, NotFound, ServiceError
from grants import selectors, services
from grants.models import ReviewAssignment, ReviewScore
from grants.services.review_changes import review_draft_save, reviewer_remove
from tests.grants import flow
from tests.helpers import Write, api_client, assert_access_rules
from workflow.access import case_rights
from workflow.models import CaseUserPermission, Event


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def declared(in_peer_review, grant_manager, reviewer):
    services.reviewer_assign(application=in_peer_review, reviewer=reviewer, actor=grant_manager)
    services.review_declare(application=in_peer_review, actor=reviewer, no_conflict=True)
    return in_peer_review


def test_each_score_needs_its_comment(declared, reviewer):
    scores = flow.scores_for(declared, Decimal("0.5"))
    first = next(iter(scores))
    scores[first]["comment"] = "  "
    with pytest.raises(ServiceError) as refused:
        services.review_submit(application=declared, actor=reviewer, scores=scores)
    assert refused.value.code == "comment_missing" and refused.value.field == f"scores.{first}"
    assert not ReviewScore.objects.exists()


def test_a_draft_is_kept_for_the_reviewer_alone_and_submitted_later(declared, reviewer, reviewer2, grant_manager):
    criterion = declared.solicitation.criteria.first()
    assignment = review_draft_save(
        application=declared, actor=reviewer, scores={criterion.pk: {"score": "5", "comment": "Clear need"}}
    )
    assert assignment.status == "declared"
    assert assignment.draft["scores"][str(criterion.pk)] == {"score": "5", "comment": "Clear need"}
    assert not ReviewScore.objects.exists(), "a draft is not among the scores anyone reads"
    with pytest.raises(ServiceError):
        review_draft_save(application=declared, actor=reviewer, scores={criterion.pk: {"score": "999"}})
    with pytest.raises(NotFound):  # Not assigned: the application does not exist for them.
        review_draft_save(application=declared, actor=reviewer2, scores={})
    page = page_client(reviewer).get(f"/grants/applications/{declared.pk}/").content.decode()
    assert "Clear need" in page and "Save draft" in page
    submitted = services.review_submit(
        application=declared, actor=reviewer, scores=flow.scores_for(declared, Decimal("0.5"))
    )
    assert submitted.status == "submitted" and submitted.draft == {}
    with pytest.raises(Conflict):
        review_draft_save(application=declared, actor=reviewer, scores={})


def test_the_grant_manager_replaces_a_silent_reviewer(declared, grant_manager, reviewer, reviewer2):
    assert case_rights(user=reviewer, case=declared.case)
    reviewer_remove(application=declared, reviewer=reviewer, actor=grant_manager, reason="No answer in three weeks")
    assert case_rights(user=reviewer, case=declared.case) == set()
    assert not CaseUserPermission.objects.filter(user=reviewer).exists()
    assert page_client(reviewer).get(f"/grants/applications/{declared.pk}/").status_code == 404
    event = Event.objects.get(case=declared.case, verb="review.reviewer_removed")
    assert event.actor == grant_manager and event.audience == "reviewers"
    assert event.data["reason"] == "No answer in three weeks"
    services.reviewer_assign(application=declared, reviewer=reviewer2, actor=grant_manager)
    assert [a.reviewer for a in ReviewAssignment.objects.filter(application=declared)] == [reviewer2]


def test_a_submitted_review_stays_and_only_the_grant_manager_removes(
    declared, grant_manager, bja_viewer, reviewer, admin
):
    why = "No answer"
    with pytest.raises(NotAllowed):
        reviewer_remove(application=declared, reviewer=reviewer, actor=bja_viewer, reason=why)
    with pytest.raises(NotAllowed):
        reviewer_remove(application=declared, reviewer=reviewer, actor=admin, reason=why)
    with pytest.raises(ServiceError) as refused:
        reviewer_remove(application=declared, reviewer=reviewer, actor=grant_manager, reason=" ")
    assert refused.value.field == "reason"
    services.review_submit(application=declared, actor=reviewer, scores=flow.scores_for(declared, Decimal("0.5")))
    with pytest.raises(Conflict) as refused:
        reviewer_remove(application=declared, reviewer=reviewer, actor=grant_manager, reason=why)
    assert refused.value.code == "review_final"
    assert len(selectors.reviews_visible(application=declared, user=grant_manager)) == 1


def test_api_draft_and_removal(declared, reviewer, grant_manager):
    url = f"/api/v1/applications/{declared.pk}/"
    criterion = declared.solicitation.criteria.first()
    response = api_client(reviewer).post(
        url + "review/draft/",
        {"scores": {str(criterion.pk): {"score": "", "comment": "Client Maria Lopez has bipolar disorder"}}},
        format="json",
    )
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "client_information"
    response = api_client(reviewer).post(
        url + "review/draft/", {"scores": {str(criterion.pk): {"comment": "Half done"}}}, format="json"
    )
    assert response.status_code == 200, response.content
    response = api_client(grant_manager).post(url + "reviewers/remove/", {"reviewer": reviewer.email}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "reason"
    sent = {"reviewer": reviewer.email, "reason": "No answer in three weeks"}
    response = api_client(grant_manager).post(url + "reviewers/remove/", sent, format="json")
    assert response.status_code == 204
    assert api_client(reviewer).get(url).status_code == 404


def test_outsider_gets_404_and_viewer_cannot_write(declared, reviewer, outsider, viewer):
    url = f"/api/v1/applications/{declared.pk}/"
    assert_access_rules(
        read_url=url,
        writes=[
            Write("post", url + "reviewers/remove/", {"reviewer": reviewer.email, "reason": "No answer"}),
            Write("post", url + "review/draft/", {"scores": {}}),
        ],
        outsider=outsider,
        viewer=viewer,
        models=[ReviewAssignment, CaseUserPermission, Event],
    )
    base = f"/grants/applications/{declared.pk}/"
    assert_access_rules(
        read_url=base,
        writes=[
            Write("post", base + f"reviewers/{reviewer.pk}/remove/", {"reason": "No answer"}),
            Write("post", base + "review/", {"save_draft": "1"}),
        ],
        outsider=outsider,
        viewer=viewer,
        models=[ReviewAssignment, CaseUserPermission, Event],
        client_factory=page_client,
    )


def test_pages_save_a_draft_and_remove_a_reviewer(declared, reviewer, grant_manager):
    base = f"/grants/applications/{declared.pk}/"
    criterion = declared.solicitation.criteria.first()
    response = page_client(reviewer).post(
        base + "review/", {"save_draft": "1", f"score_{criterion.pk}": "4", f"comment_{criterion.pk}": "So far"}
    )
    assert response.status_code == 302
    assert ReviewAssignment.objects.get(reviewer=reviewer).draft["scores"][str(criterion.pk)]["comment"] == "So far"
    page = page_client(grant_manager).get(base).content.decode()
    assert "Remove this reviewer" in page and "So far" not in page
    response = page_client(grant_manager).post(base + f"reviewers/{reviewer.pk}/remove/", {"reason": "No answer"})
    assert response.status_code == 302
    assert not ReviewAssignment.objects.filter(reviewer=reviewer).exists()


def test_the_remove_page_confirms_and_asks_why(declared, grant_manager, reviewer, bja_viewer, outsider, admin):
    url = f"/grants/applications/{declared.pk}/reviewers/{reviewer.pk}/remove/"
    manager = page_client(grant_manager)
    page = manager.get(f"/grants/applications/{declared.pk}/").content.decode()
    assert f'href="{url}"' in page, "a link to the confirmation, not a button"
    for user, status in ((outsider, 404), (bja_viewer, 403), (admin, 403)):
        assert page_client(user).get(url).status_code == status
        assert page_client(user).post(url, {"reason": "No answer"}).status_code == status
    confirm = manager.get(url).content.decode()
    assert "no longer reviews" in confirm and "Their draft scores and comments, if any, are deleted" in confirm
    refused = manager.post(url, {"reason": ""})
    assert refused.status_code == 400 and 'id="id_reason-error"' in refused.content.decode()
    assert ReviewAssignment.objects.filter(application=declared, reviewer=reviewer).exists()
    response = manager.post(url, {"reason": "No answer in three weeks"})
    assert response.status_code == 302 and response["Location"].endswith("#peer-review")
    assert page_client(reviewer).get(f"/grants/applications/{declared.pk}/").status_code == 404
    assert "No answer in three weeks" in manager.get(f"/grants/applications/{declared.pk}/").content.decode()
