"""Opening a partnership, its members, and its stage machine with the guards of implementing and operating."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.models import OrganizationKind, Role
from config.errors import NotAllowed, ServiceError
from partnerships.choices import MemberRole
from partnerships.models import Partnership, PartnershipMember
from partnerships.services.partnerships import partnership_create, partnership_member_add, partnership_update
from tests import factories
from workflow.errors import GuardFailed
from workflow.models import Case, Milestone, Participant, ParticipantRole
from workflow.services import case_create, case_transition

from .steps import approve_planning, sign_mou, submit_assessment


def _create(actor, lead, members, **extra):
    return partnership_create(actor=actor, lead=lead, title="P", members=members, jurisdiction="Springfield", **extra)


def test_members_become_case_participants(partnership, organization, bh_org, county_org):
    roles = dict(Participant.objects.filter(case=partnership.case).values_list("organization__name", "role"))
    assert roles == {organization.name: "lead", bh_org.name: "partner", county_org.name: "partner"}
    members = dict(partnership.members.values_list("organization__name", "role"))
    assert members[organization.name] == MemberRole.LEAD_AGENCY
    assert members[bh_org.name] == MemberRole.BEHAVIORAL_HEALTH
    assert partnership.case.stage == "exploring"
    assert partnership.response_models == ["co_responder", "cit"]


@pytest.mark.parametrize(
    ("lead_kind", "member_kind", "role", "code"),
    [
        (
            OrganizationKind.BEHAVIORAL_HEALTH,
            OrganizationKind.BEHAVIORAL_HEALTH,
            "behavioral_health",
            "lead_not_law_enforcement",
        ),
        (OrganizationKind.LAW_ENFORCEMENT, OrganizationKind.GOVERNMENT, "government", "no_behavioral_health_member"),
        (OrganizationKind.LAW_ENFORCEMENT, OrganizationKind.GOVERNMENT, "behavioral_health", "role_does_not_fit_kind"),
        (OrganizationKind.LAW_ENFORCEMENT, OrganizationKind.FEDERAL, "other", "role_does_not_fit_kind"),
    ],
)
def test_a_partnership_needs_a_law_enforcement_lead_and_a_behavioral_health_partner(
    db, lead_kind, member_kind, role, code
):
    lead = factories.OrganizationFactory(kind=lead_kind)
    actor = factories.member_of(lead, Role.ADMIN)
    other = factories.OrganizationFactory(kind=member_kind)
    with pytest.raises(ServiceError) as error:
        _create(actor, lead, [(other, role)])
    assert error.value.code == code
    assert not Case.objects.exists() and not Partnership.objects.exists()


def test_unknown_response_models_are_refused(organization, admin, bh_org):
    with pytest.raises(ServiceError, match="not a response model"):
        _create(admin, organization, [(bh_org, "behavioral_health")], response_models=["telepathy"])
    assert not Case.objects.exists()


def test_only_staff_of_the_lead_may_open_it(organization, viewer, outsider, bh_org):
    with pytest.raises(NotAllowed):
        _create(viewer, organization, [(bh_org, "behavioral_health")])
    with pytest.raises(ServiceError) as error:
        _create(outsider, organization, [(bh_org, "behavioral_health")])
    assert error.value.code == "not_your_organization"
    assert not Case.objects.exists()


def test_an_award_must_be_a_visible_award_case(organization, admin, bh_org, partnership):
    with pytest.raises(ServiceError) as error:
        _create(admin, organization, [(bh_org, "behavioral_health")], award=partnership.case)
    assert error.value.code == "invalid_award"


def test_member_add_needs_manage_and_a_fitting_kind(partnership, admin, member):
    other = factories.OrganizationFactory(name="Springfield 911 Center", kind=OrganizationKind.OTHER)
    with pytest.raises(NotAllowed):
        partnership_member_add(partnership=partnership, organization=other, role="other", actor=member)
    with pytest.raises(ServiceError, match="cannot be the behavioral health partner"):
        partnership_member_add(partnership=partnership, organization=other, role="behavioral_health", actor=admin)
    added = partnership_member_add(partnership=partnership, organization=other, role="other", actor=admin)
    assert added.role == "other"
    assert Participant.objects.filter(case=partnership.case, organization=other, role="partner").exists()


def test_update_changes_the_description_and_records_it(partnership, member, viewer):
    with pytest.raises(NotAllowed):
        partnership_update(partnership=partnership, actor=viewer, jurisdiction="X")
    updated = partnership_update(partnership=partnership, actor=member, response_models=["lead", "lead"])
    assert updated.response_models == ["lead"]
    assert partnership.case.events.filter(verb="partnership.updated").exists()


def test_planning_adds_the_planning_checklist_once(partnership, admin):
    case_transition(case=partnership.case, name="start_planning", actor=admin)
    assert Milestone.objects.filter(case=partnership.case, template__key="pmhc-planning").count() == 6
    case_transition(case=partnership.case, name="pause", actor=admin)
    case_transition(case=partnership.case, name="resume_planning", actor=admin)
    assert Milestone.objects.filter(case=partnership.case, template__key="pmhc-planning").count() == 6


def test_implementing_needs_an_mou_in_force_and_approved_planning(partnership, admin, bh_admin, organization, bh_org):
    case_transition(case=partnership.case, name="start_planning", actor=admin)
    with pytest.raises(GuardFailed) as error:
        case_transition(case=partnership.case, name="start_implementing", actor=admin)
    assert len(error.value.reasons) == 2

    sign_mou(partnership, admin, bh_admin, organization, bh_org)
    with pytest.raises(GuardFailed) as error:
        case_transition(case=partnership.case, name="start_implementing", actor=admin)
    assert error.value.reasons == ["Every required planning milestone must be approved."]

    approve_planning(partnership, admin, bh_admin)
    moved = case_transition(case=partnership.case, name="start_implementing", actor=admin)
    assert moved.stage == "implementing"


def test_an_mou_without_the_lead_does_not_count(partnership, admin, bh_admin, county_admin, bh_org, county_org):
    case_transition(case=partnership.case, name="start_planning", actor=admin)
    approve_planning(partnership, admin, bh_admin)
    sign_mou(partnership, bh_admin, county_admin, bh_org, county_org)
    with pytest.raises(GuardFailed, match="memorandum of understanding"):
        case_transition(case=partnership.case, name="start_implementing", actor=admin)


def test_operating_needs_an_assessment_by_each_member_kind(
    partnership, admin, bh_admin, county_admin, organization, bh_org, county_org
):
    case_transition(case=partnership.case, name="start_planning", actor=admin)
    sign_mou(partnership, admin, bh_admin, organization, bh_org)
    approve_planning(partnership, admin, bh_admin)
    case_transition(case=partnership.case, name="start_implementing", actor=admin)
    submit_assessment(partnership, organization, admin)
    submit_assessment(partnership, bh_org, bh_admin)
    with pytest.raises(GuardFailed, match="Every kind of member"):
        case_transition(case=partnership.case, name="start_operating", actor=admin)
    submit_assessment(partnership, county_org, county_admin)
    assert case_transition(case=partnership.case, name="start_operating", actor=admin).stage == "operating"


def test_pause_resumes_to_the_stage_it_left(partnership, admin):
    case_transition(case=partnership.case, name="start_planning", actor=admin)
    case_transition(case=partnership.case, name="pause", actor=admin)
    partnership.refresh_from_db()
    assert partnership.paused_from == "planning"
    with pytest.raises(GuardFailed, match="not paused in Exploring"):
        case_transition(case=partnership.case, name="resume_exploring", actor=admin)
    assert case_transition(case=partnership.case, name="resume_planning", actor=admin).stage == "planning"


def test_only_the_lead_admin_dissolves(partnership, admin, bh_admin, member):
    with pytest.raises(NotAllowed, match="lead agency"):
        case_transition(case=partnership.case, name="dissolve", actor=bh_admin)
    with pytest.raises(NotAllowed):
        case_transition(case=partnership.case, name="dissolve", actor=member)
    with pytest.raises(ServiceError) as no_reason:
        case_transition(case=partnership.case, name="dissolve", actor=admin, confirm=True)
    assert (no_reason.value.field, no_reason.value.code) == ("comment", "comment_required")
    case = case_transition(case=partnership.case, name="dissolve", actor=admin, comment="Funding ended.", confirm=True)
    assert case.stage == "dissolved" and case.closed_at is not None
    assert case.events.get(verb="transition", data__name="dissolve").data["comment"] == "Funding ended."


def test_one_lead_agency_per_partnership(partnership, organization):
    other = factories.OrganizationFactory(kind=OrganizationKind.LAW_ENFORCEMENT)
    second = PartnershipMember(partnership=partnership, organization=other, role=MemberRole.LEAD_AGENCY)
    with pytest.raises(ValidationError):
        second.full_clean()


@pytest.fixture
def award(organization, admin, bja):
    """An award case (the grants app's kind): a stand-in machine if grants has not registered one."""
    from workflow.machines import Machine, Stage, registry

    registered = "award" in dict(registry.kinds())
    if not registered:
        registry.register(
            Machine(
                kind="award",
                label="Award",
                initial="active",
                stages=[Stage("active", "Active", terminal=True)],
                transitions=[],
            )
        )
    case = case_create(
        kind="award",
        title="FY2026 JMHCP award",
        organization=organization,
        actor=admin,
        participants={bja: ParticipantRole.REVIEWER},
    )
    yield case
    if not registered:
        registry.unregister("award")


def test_the_funding_award_brings_its_bja_reviewers(award, organization, admin, bh_org, bja, grant_manager):
    partnership = _create(admin, organization, [(bh_org, "behavioral_health")], award=award)
    assert partnership.award == award
    assert Participant.objects.get(case=partnership.case, organization=bja).role == "reviewer"
    assert Case.objects.visible_to(grant_manager).filter(pk=partnership.case_id).exists()
