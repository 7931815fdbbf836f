"""Every list, on the API and on the pages, costs the same number of queries for 5 rows as for 50."""

import pytest

from grants import services
from tests.grants import bulk, flow
from tests.grants.test_pages import page_client
from tests.helpers import api_client, assert_constant_queries


@pytest.fixture
def grow_applications(solicitation, organization, admin, bh_org, bja):
    def grow(n, stage="draft", agency=None):
        return bulk.applications(
            n, solicitation=solicitation, lead=organization, actor=admin, partner=bh_org, agency=agency, stage=stage
        )

    return grow


def test_solicitation_list(bja, grant_manager, admin):
    def grow(n):
        for _ in range(n):
            flow.solicitation_publish(agency=bja, manager=grant_manager)

    assert_constant_queries(request=lambda: api_client(admin).get("/api/v1/solicitations/?page_size=100"), grow=grow)


def test_application_list_and_home_page(grow_applications, admin):
    assert_constant_queries(
        request=lambda: api_client(admin).get("/api/v1/applications/?page_size=100"), grow=grow_applications
    )


def test_home_page(grow_applications, admin):
    assert_constant_queries(request=lambda: page_client(admin).get("/grants/"), grow=lambda n: grow_applications(n))


def test_dashboard(grow_applications, admin):
    assert_constant_queries(request=lambda: page_client(admin).get("/"), grow=grow_applications)


def test_my_reviews_api_and_page(grow_applications, grant_manager, reviewer, bja):
    def grow(n):
        for application in grow_applications(n, stage="peer_review", agency=bja):
            bulk.review(application, reviewer, grant_manager)

    assert_constant_queries(request=lambda: api_client(reviewer).get("/api/v1/reviews/?page_size=100"), grow=grow)
    assert_constant_queries(request=lambda: page_client(reviewer).get("/grants/reviews/"), grow=lambda n: grow(n))


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/solicitations/{id}/ranking/?page_size=100",
        "/api/v1/solicitations/{id}/stages/",
        "/grants/solicitations/{id}/ranking/",
        "/grants/solicitations/{id}/stages/",
        "/grants/solicitations/{id}/export/ranking.csv",
        "/grants/solicitations/{id}/export/applications.xlsx",
        "/grants/solicitations/{id}/",
    ],
)
def test_ranking_and_stage_reports(grow_applications, solicitation, grant_manager, reviewer, bja, url):
    def grow(n):
        for application in grow_applications(n, stage="peer_review", agency=bja):
            bulk.review(application, reviewer, grant_manager, total="80")

    client = api_client(grant_manager) if url.startswith("/api/") else page_client(grant_manager)
    assert_constant_queries(request=lambda: client.get(url.format(id=solicitation.id)), grow=grow)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/solicitations/{id}/reviewers/?page_size=100",
        "/grants/solicitations/{id}/reviewers/",
        "/grants/solicitations/{id}/export/reviewers.xlsx",
    ],
)
def test_review_progress_per_reviewer(submitted, solicitation, grant_manager, bja, url):
    def grow(n):
        for person in bulk.peer_reviewers(n, bja):
            bulk.review(submitted, person, grant_manager)

    client = api_client(grant_manager) if url.startswith("/api/") else page_client(grant_manager)
    assert_constant_queries(request=lambda: client.get(url.format(id=solicitation.id)), grow=grow)


def _grow_reviews(application, manager, agency):
    def grow(n):
        for person in bulk.peer_reviewers(n, agency):
            services.reviewer_assign(application=application, reviewer=person, actor=manager)
            services.review_declare(application=application, actor=person, no_conflict=True)
            services.review_submit(
                application=application, actor=person, scores=flow.scores_for(application, flow.Decimal("0.5"))
            )

    return grow


def test_reviews_of_an_application(in_peer_review, grant_manager, bja):
    url = f"/api/v1/applications/{in_peer_review.id}/reviews/"
    grow = _grow_reviews(in_peer_review, grant_manager, bja)
    assert_constant_queries(request=lambda: api_client(grant_manager).get(url), grow=grow)


def test_the_application_page_with_many_reviews(in_peer_review, grant_manager, bja):
    grow = _grow_reviews(in_peer_review, grant_manager, bja)
    assert_constant_queries(
        request=lambda: page_client(grant_manager).get(in_peer_review.get_absolute_url()), grow=grow
    )
