"""Every award list, and the dashboard that shows awards, costs the same queries for 5 awards as for 50, for the
lead agency's admin and for BJA's grant manager.

Fifty awards built through the services take seconds, so the module builds them once (`module_db`) and measures
every list at both sizes (`queries_at_two_sizes`); each test then checks its own list's counts.
"""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import OrganizationKind, Role
from grants import reporting
from grants.awards.services.award import award_create
from grants.awards.services.reports import _add
from grants.models import Application, Decision
from tests import factories
from tests.grants import bulk, flow
from tests.grants.test_pages import page_client
from tests.helpers import api_client, queries_at_two_sizes

pytestmark = pytest.mark.django_db  # Each test in a savepoint of its own, inside the module's world.

AWARD_LISTS = [
    "/api/v1/awards/?page_size=100",
    "/api/v1/awards/calendar/?page_size=100",
    "/grants/awards/",
    "/grants/awards/export/awards.csv",
    "/grants/awards/export/calendar.xlsx",
]
DASHBOARD = "/"
USERS = ("admin", "grant_manager")


@pytest.fixture(scope="module")
def award_lists(module_db):
    """{(url, user): QueryCounts} for every list and the dashboard, and the signed-in clients."""
    organization = factories.OrganizationFactory(
        name="Springfield Police Department", kind=OrganizationKind.LAW_ENFORCEMENT
    )
    bh_org = factories.OrganizationFactory(name="Prairie Behavioral Health", kind=OrganizationKind.BEHAVIORAL_HEALTH)
    bja = factories.OrganizationFactory(name="Bureau of Justice Assistance", kind=OrganizationKind.FEDERAL)
    admin = factories.member_of(organization, Role.ADMIN, full_name="Ada Admin")
    grant_manager = factories.member_of(bja, Role.GRANT_MANAGER, full_name="Helen Brooks")
    solicitation = flow.solicitation_publish(agency=bja, manager=grant_manager)

    def grow(n):
        for application in bulk.applications(n, solicitation=solicitation, lead=organization, actor=admin,
                                             partner=bh_org, agency=bja, stage="awarded"):  # fmt: skip
            start = date(2027, 10, 1)
            Application.objects.filter(pk=application.pk).update(project_start=start, project_end=date(2030, 9, 30))
            application.refresh_from_db()
            Decision.objects.create(application=application, outcome="awarded", amount=Decimal("1000"),
                                    decided_on=date(2026, 11, 1), decided_by=grant_manager)  # fmt: skip
            award = award_create(application=Application.objects.get(pk=application.pk), actor=grant_manager)
            _add(award, None, reporting.ReportingPeriod("performance", start, start, date(2026, 1, 30)))

    users = {"admin": admin, "grant_manager": grant_manager}
    clients = {
        (url, user): api_client(users[user]) if url.startswith("/api/") else page_client(users[user])
        for url in [*AWARD_LISTS, DASHBOARD]
        for user in USERS
    }
    requests = {key: (lambda c=client, url=key[0]: c.get(url)) for key, client in clients.items()}
    counts = queries_at_two_sizes(requests=requests, grow=grow)
    return counts, clients


@pytest.mark.parametrize("url", AWARD_LISTS)
def test_award_lists_constant_queries(award_lists, url):
    counts, _ = award_lists
    for user in USERS:
        counts[url, user].assert_constant()


def test_dashboard_lists_awards_with_their_clocks(award_lists):
    counts, clients = award_lists
    for user in USERS:
        counts[DASHBOARD, user].assert_constant()
    page = clients[DASHBOARD, "grant_manager"].get(DASHBOARD).content.decode()
    assert "dashboard-awards" in page and "Accept by" in page
