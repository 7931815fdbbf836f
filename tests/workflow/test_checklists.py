"""Checklist templates, milestones, joint sign-offs, reviews and progress."""

from datetime import date

import pytest

from config.errors import Conflict, NotAllowed, NotFound, ServiceError
from tests.workflow import machines
from workflow import checklists, selectors, services
from workflow.checklists import ItemSpec
from workflow.errors import GuardFailed
from workflow.models import Milestone, MilestoneStatus


def milestone(case, text):
    return Milestone.objects.get(case=case, title=text)


def test_instantiation_sets_due_dates_from_offsets(organization, admin, prep_template):
    case = services.case_create(kind=machines.KIND, title="x", organization=organization, actor=admin)
    rows = checklists.checklist_instantiate(case=case, template=prep_template, actor=admin, start=date(2026, 1, 1))
    assert [(m.title, m.due_date) for m in rows] == [
        ("Program narrative drafted", date(2026, 1, 15)),
        ("MOU signed by both partners", date(2026, 1, 22)),
        ("Budget reviewed by BJA", date(2026, 1, 31)),
        ("Letters of support", None),
    ]
    with pytest.raises(Conflict):
        checklists.checklist_instantiate(case=case, template=prep_template, actor=admin)


def test_revising_a_template_keeps_running_cases_on_their_version(case, prep_template, organization, admin):
    revised = checklists.checklist_template_publish(key="prep", title="Preparation", items=[ItemSpec("Only one")])
    assert revised.version == 2 and checklists.checklist_template_current(key="prep") == revised
    assert Milestone.objects.filter(case=case).count() == 4
    assert set(Milestone.objects.filter(case=case).values_list("template__version", flat=True)) == {1}
    later = services.case_create(kind=machines.KIND, title="later", organization=organization, actor=admin)
    checklists.checklist_instantiate(case=later, template=revised, actor=admin)
    assert list(Milestone.objects.filter(case=later).values_list("title", flat=True)) == ["Only one"]


def test_submit_then_approve_by_someone_else(case, member, admin):
    m = milestone(case, "Program narrative drafted")
    checklists.milestone_submit(milestone=m, actor=member, note="Narrative v3 attached")
    m = checklists.milestone_approve(milestone=m, actor=admin)
    assert (m.status, m.decided_by, m.submitted_by) == (MilestoneStatus.APPROVED, admin, member)


def test_no_self_approval(case, admin):
    m = milestone(case, "Program narrative drafted")
    checklists.milestone_submit(milestone=m, actor=admin)
    with pytest.raises(NotAllowed) as error:
        checklists.milestone_approve(milestone=m, actor=admin)
    assert error.value.code == "self_approval"
    assert milestone(case, "Program narrative drafted").status == MilestoneStatus.SUBMITTED


def test_changes_requested_needs_a_comment_and_can_be_resubmitted(case, member, admin):
    m = milestone(case, "Program narrative drafted")
    checklists.milestone_submit(milestone=m, actor=member)
    with pytest.raises(ServiceError) as error:
        checklists.milestone_request_changes(milestone=m, actor=admin, comment="  ")
    assert error.value.field == "comment"
    m = checklists.milestone_request_changes(milestone=m, actor=admin, comment="Add the call data")
    assert m.status == MilestoneStatus.CHANGES_REQUESTED
    m = checklists.milestone_submit(milestone=m, actor=member, note="Call data added")
    assert m.status == MilestoneStatus.SUBMITTED


def test_bja_items_need_a_bja_reviewer(case, member, admin, grant_manager):
    m = milestone(case, "Budget reviewed by BJA")
    checklists.milestone_submit(milestone=m, actor=member)
    with pytest.raises(NotAllowed):
        checklists.milestone_approve(milestone=m, actor=admin)
    assert checklists.milestone_approve(milestone=m, actor=grant_manager).status == MilestoneStatus.APPROVED


def test_viewers_cannot_submit_and_outsiders_are_told_nothing(case, viewer, outsider):
    m = milestone(case, "Program narrative drafted")
    with pytest.raises(NotAllowed):
        checklists.milestone_submit(milestone=m, actor=viewer)
    with pytest.raises(NotFound):
        checklists.milestone_submit(milestone=m, actor=outsider)


def test_wrong_status_is_a_conflict(case, admin, member):
    m = milestone(case, "Program narrative drafted")
    with pytest.raises(Conflict):
        checklists.milestone_approve(milestone=m, actor=admin)
    checklists.milestone_submit(milestone=m, actor=member)
    with pytest.raises(Conflict):
        checklists.milestone_submit(milestone=m, actor=member)


def test_joint_items_need_every_partner_organization(case, member, admin, partner):
    m = milestone(case, "MOU signed by both partners")
    checklists.milestone_submit(milestone=m, actor=member)
    checklists.milestone_sign_off(milestone=m, actor=member)
    with pytest.raises(Conflict) as error:
        checklists.milestone_approve(milestone=m, actor=admin)
    assert "Prairie Behavioral Health" in error.value.message
    with pytest.raises(Conflict):
        checklists.milestone_sign_off(milestone=m, actor=admin)  # the lead already signed
    checklists.milestone_sign_off(milestone=m, actor=partner)
    assert checklists.milestone_approve(milestone=m, actor=admin).status == MilestoneStatus.APPROVED


def test_sign_off_is_only_for_joint_items(case, member):
    with pytest.raises(ServiceError):
        checklists.milestone_sign_off(milestone=milestone(case, "Program narrative drafted"), actor=member)


def test_guard_uses_required_milestones_and_progress_counts(case, admin, member, partner, grant_manager):
    with pytest.raises(GuardFailed) as error:
        services.case_transition(case=case, name="submit", actor=admin)
    assert error.value.reasons == ["Every required preparation milestone must be approved."]
    machines.approve_preparation(case, member=member, admin=admin, partner=partner, grant_manager=grant_manager)
    [progress] = selectors.milestone_progress(case=case)
    assert (progress.done, progress.total, progress.percent) == (3, 4, 75)
    assert services.case_transition(case=case, name="submit", actor=admin).stage == "submitted"


def test_requesting_changes_to_a_joint_item_clears_its_sign_offs(case, member, admin, partner):
    m = milestone(case, "MOU signed by both partners")
    checklists.milestone_submit(milestone=m, actor=member)
    checklists.milestone_sign_off(milestone=m, actor=member)
    checklists.milestone_sign_off(milestone=m, actor=partner)
    checklists.milestone_request_changes(milestone=m, actor=admin, comment="Add the data-sharing clause")
    assert not m.signoffs.exists()


def test_a_single_milestone_goes_last_with_its_event(case, admin):
    added = checklists.milestone_add(case=case, actor=admin, title="Quarterly report", due_date=date(2027, 1, 30))
    assert added.order == Milestone.objects.filter(case=case).count()
    assert case.events.last().verb == "milestone.added"
    assert case.events.last().data["title"] == "Quarterly report"
