"""A sample case with a lead (police), a co-applicant (behavioral health) and BJA reviewing it."""

import pytest

from accounts.models import OrganizationKind, Role
from tests import factories
from tests.workflow import machines
from workflow import checklists, services
from workflow.models import ParticipantRole


@pytest.fixture
def partner_org(db):
    return factories.OrganizationFactory(name="Prairie Behavioral Health", kind=OrganizationKind.BEHAVIORAL_HEALTH)


@pytest.fixture
def bja(db):
    return factories.OrganizationFactory(name="Bureau of Justice Assistance", kind=OrganizationKind.FEDERAL)


@pytest.fixture
def partner(partner_org):
    return factories.member_of(partner_org, Role.ADMIN, full_name="Pat Partner")


@pytest.fixture
def grant_manager(bja):
    return factories.member_of(bja, Role.GRANT_MANAGER, full_name="Gwen Manager")


@pytest.fixture
def peer_reviewer(bja):
    return factories.member_of(bja, Role.PEER_REVIEWER, full_name="Rey Reviewer")


@pytest.fixture
def prep_template(db):
    return checklists.checklist_template_publish(key="prep", title="Preparation", items=machines.PREP_ITEMS)


@pytest.fixture
def case(organization, partner_org, bja, admin, prep_template):
    case = services.case_create(
        kind=machines.KIND,
        title="Springfield co-responder program",
        organization=organization,
        actor=admin,
        participants={partner_org: ParticipantRole.CO_APPLICANT, bja: ParticipantRole.REVIEWER},
    )
    checklists.checklist_instantiate(case=case, template=prep_template, actor=admin)
    return case


@pytest.fixture
def submitted_case(case, member, admin, partner, grant_manager):
    machines.approve_preparation(case, member=member, admin=admin, partner=partner, grant_manager=grant_manager)
    return services.case_transition(case=case, name="submit", actor=member)
