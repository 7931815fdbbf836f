"""A published Connect and Protect solicitation and a joint application: police (lead), behavioral health, BJA."""

from datetime import datetime

import pytest

from accounts.models import OrganizationKind, Role
from grants import services
from tests import factories
from tests.grants import flow


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def bh_org(db):
    return factories.OrganizationFactory(name="Prairie Behavioral Health", kind=OrganizationKind.BEHAVIORAL_HEALTH)


@pytest.fixture
def bh_admin(bh_org):
    return factories.member_of(bh_org, Role.ADMIN, full_name="Alicia Romero")


@pytest.fixture
def bh_member(bh_org):
    return factories.member_of(bh_org, Role.MEMBER, full_name="Sam Okafor")


@pytest.fixture
def bja(db):
    return factories.OrganizationFactory(name="Bureau of Justice Assistance", kind=OrganizationKind.FEDERAL)


@pytest.fixture
def grant_manager(bja):
    return factories.member_of(bja, Role.GRANT_MANAGER, full_name="Helen Brooks")


@pytest.fixture
def bja_viewer(bja):
    return factories.member_of(bja, Role.VIEWER, full_name="Bea Viewer")


@pytest.fixture
def reviewer(bja):
    return factories.member_of(bja, Role.PEER_REVIEWER, full_name="Victor Chen")


@pytest.fixture
def reviewer2(bja):
    return factories.member_of(bja, Role.PEER_REVIEWER, full_name="Grace Adeyemi")


@pytest.fixture
def solicitation(bja, grant_manager):
    return flow.solicitation_publish(agency=bja, manager=grant_manager)


@pytest.fixture
def draft_solicitation(bja, grant_manager):
    """A JMHCP solicitation not yet published: only BJA's staff see it."""
    return services.solicitation_create(
        actor=grant_manager,
        agency=bja,
        program="jmhcp",
        fiscal_year=2028,
        number="O-BJA-2028-000001",
        title="Justice and Mental Health Collaboration Program",
        grants_gov_deadline=datetime(2028, 4, 20, 23, 59, 59),
        justgrants_deadline=datetime(2028, 4, 27, 20, 59, 59),
    )


@pytest.fixture
def application(solicitation, organization, admin, bh_org):
    return flow.application_start(solicitation=solicitation, lead=organization, actor=admin, co_applicants=[bh_org])


@pytest.fixture
def submitted(application, admin, bh_admin):
    return flow.submit(application, admin, bh_admin)


@pytest.fixture
def in_peer_review(submitted, grant_manager):
    return flow.to_peer_review(submitted, grant_manager)


@pytest.fixture
def awarded(in_peer_review, grant_manager, reviewer):
    """The application of the story, awarded ($540,000, Oct 1 next year for 36 months)."""
    flow.review(in_peer_review, grant_manager, reviewer)
    flow.to_decision(in_peer_review, grant_manager)
    flow.award(in_peer_review, grant_manager)
    return flow.fresh(in_peer_review)


@pytest.fixture
def award(awarded):
    from grants.models import Award

    return Award.objects.select_related("case").get(application=awarded)
