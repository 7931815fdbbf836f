"""Every list, on the API and on the pages, costs the same number of queries for 5 rows as for 50.

Fifty rows through the services take seconds, so the module builds one world and grows it once (`module_db`,
`queries_at_two_sizes`): `grow(n)` adds n of each row these lists show (published solicitations, draft
applications, applications in peer review with a reviewer's open assignment and another's submitted review,
peer reviewers assigned to the submitted application, reviews submitted through the services on the one in peer
review), every list is measured with 5 and
with 50, and each test checks its own lists.
"""

import pytest

from accounts.models import OrganizationKind, Role
from grants import services
from tests import factories
from tests.grants import bulk, flow
from tests.grants.test_pages import page_client
from tests.helpers import api_client, queries_at_two_sizes

pytestmark = pytest.mark.django_db  # Each test in a savepoint of its own, inside the module's world.

RANKING_AND_STAGES = [
    "/api/v1/solicitations/{id}/ranking/?page_size=100",
    "/api/v1/solicitations/{id}/stages/",
    "/grants/solicitations/{id}/ranking/",
    "/grants/solicitations/{id}/stages/",
    "/grants/solicitations/{id}/export/ranking.csv",
    "/grants/solicitations/{id}/export/applications.xlsx",
    "/grants/solicitations/{id}/",
]
REVIEW_PROGRESS = [
    "/api/v1/solicitations/{id}/reviewers/?page_size=100",
    "/grants/solicitations/{id}/reviewers/",
    "/grants/solicitations/{id}/export/reviewers.xlsx",
]


def _client(user, url):
    return api_client(user) if url.startswith("/api/") else page_client(user)


@pytest.fixture(scope="module")
def lists(module_db):
    """{list: QueryCounts}: every list of the module, measured with 5 and with 50 rows."""
    organization = factories.OrganizationFactory(
        name="Springfield Police Department", kind=OrganizationKind.LAW_ENFORCEMENT
    )
    admin = factories.member_of(organization, Role.ADMIN, full_name="Ada Admin")
    bh_org = factories.OrganizationFactory(name="Prairie Behavioral Health", kind=OrganizationKind.BEHAVIORAL_HEALTH)
    bh_admin = factories.member_of(bh_org, Role.ADMIN, full_name="Alicia Romero")
    bja = factories.OrganizationFactory(name="Bureau of Justice Assistance", kind=OrganizationKind.FEDERAL)
    grant_manager = factories.member_of(bja, Role.GRANT_MANAGER, full_name="Helen Brooks")
    reviewer = factories.member_of(bja, Role.PEER_REVIEWER, full_name="Victor Chen")
    reviewer2 = factories.member_of(bja, Role.PEER_REVIEWER, full_name="Grace Adeyemi")
    solicitation = flow.solicitation_publish(agency=bja, manager=grant_manager)

    def application(title):
        started = flow.application_start(
            solicitation=solicitation, lead=organization, actor=admin, co_applicants=[bh_org], title=title
        )
        return flow.submit(started, admin, bh_admin)

    submitted = application("Springfield co-responder program")
    in_peer_review = flow.to_peer_review(application("Springfield crisis line"), grant_manager)

    def grow(n):
        for _ in range(n):
            flow.solicitation_publish(agency=bja, manager=grant_manager)
        bulk.applications(n, solicitation=solicitation, lead=organization, actor=admin, partner=bh_org)
        for reviewed in bulk.applications(n, solicitation=solicitation, lead=organization, actor=admin,
                                          partner=bh_org, agency=bja, stage="peer_review"):  # fmt: skip
            bulk.review(reviewed, reviewer, grant_manager)  # Open: the reviewer's list.
            bulk.review(reviewed, reviewer2, grant_manager, total="80")  # Submitted: the ranking.
        for person in bulk.peer_reviewers(n, bja):
            bulk.review(submitted, person, grant_manager)
        for person in bulk.peer_reviewers(n, bja):
            services.reviewer_assign(application=in_peer_review, reviewer=person, actor=grant_manager)
            services.review_declare(application=in_peer_review, actor=person, no_conflict=True)
            services.review_submit(
                application=in_peer_review,
                actor=person,
                scores=flow.scores_for(in_peer_review, flow.Decimal("0.5")),
            )

    reads = {
        "solicitations": (admin, "/api/v1/solicitations/?page_size=100"),
        "applications": (admin, "/api/v1/applications/?page_size=100"),
        "home page": (admin, "/grants/"),
        "dashboard": (admin, "/"),
        "my reviews (API)": (reviewer, "/api/v1/reviews/?page_size=100"),
        "my reviews (page)": (reviewer, "/grants/reviews/"),
        "reviews of an application": (grant_manager, f"/api/v1/applications/{in_peer_review.id}/reviews/"),
        "the application page": (grant_manager, in_peer_review.get_absolute_url()),
    }
    for url in RANKING_AND_STAGES + REVIEW_PROGRESS:
        reads[url] = (grant_manager, url.format(id=solicitation.id))
    clients = {label: (_client(user, url), url) for label, (user, url) in reads.items()}
    return queries_at_two_sizes(
        requests={label: (lambda c=client, u=url: c.get(u)) for label, (client, url) in clients.items()}, grow=grow
    )


def test_solicitation_list(lists):
    lists["solicitations"].assert_constant()


def test_application_list_and_home_page(lists):
    lists["applications"].assert_constant()


def test_home_page(lists):
    lists["home page"].assert_constant()


def test_dashboard(lists):
    lists["dashboard"].assert_constant()


def test_my_reviews_api_and_page(lists):
    lists["my reviews (API)"].assert_constant()
    lists["my reviews (page)"].assert_constant()


@pytest.mark.parametrize("url", RANKING_AND_STAGES)
def test_ranking_and_stage_reports(lists, url):
    lists[url].assert_constant()


@pytest.mark.parametrize("url", REVIEW_PROGRESS)
def test_review_progress_per_reviewer(lists, url):
    lists[url].assert_constant()


def test_reviews_of_an_application(lists):
    lists["reviews of an application"].assert_constant()


def test_the_application_page_with_many_reviews(lists):
    lists["the application page"].assert_constant()
