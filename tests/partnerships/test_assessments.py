"""Assessments: the checklist for the member's kind, drafts, submission that locks, scores, change, gaps."""

from __future__ import annotations

import pytest

from config.errors import Conflict, NotAllowed, ServiceError
from partnerships.models import Assessment, AssessmentAnswer
from partnerships.selectors.assessments import assessment_comparison, assessment_scores, assessment_trend
from partnerships.services.assessments import (
    assessment_gap_plan,
    assessment_gap_task,
    assessment_save,
    assessment_start,
    assessment_submit,
)
from tasks.models import Task, TaskStatus
from tasks.services.task import task_set_status
from workflow.models import ChecklistTemplate, Milestone

from .steps import submit_assessment


def _answers(assessment):
    return list(AssessmentAnswer.objects.filter(assessment=assessment).select_related("item").order_by("item__order"))


def test_the_checklists_come_from_the_data_migration_tagged_with_essential_elements(db):
    templates = {t.key: t for t in ChecklistTemplate.objects.filter(key__startswith="pmhc-")}
    assert {key: t.items.count() for key, t in templates.items()} == {
        "pmhc-policymaker": 11,
        "pmhc-law-enforcement": 12,
        "pmhc-behavioral-health": 11,
        "pmhc-planning": 6,
    }
    for key in ("pmhc-policymaker", "pmhc-law-enforcement", "pmhc-behavioral-health"):
        assert all(item.tags for item in templates[key].items.all()), key
    assert templates["pmhc-law-enforcement"].audience == "law_enforcement"


def test_each_member_gets_the_checklist_of_its_kind(
    partnership, admin, bh_admin, county_admin, organization, bh_org, county_org
):
    keys = {
        assessment_start(partnership=partnership, organization=org, actor=actor).template.key
        for org, actor in [(organization, admin), (bh_org, bh_admin), (county_org, county_admin)]
    }
    assert keys == {"pmhc-law-enforcement", "pmhc-behavioral-health", "pmhc-policymaker"}


def test_the_wrong_audience_is_refused(partnership, bh_admin, bh_org):
    with pytest.raises(ServiceError) as error:
        assessment_start(partnership=partnership, organization=bh_org, actor=bh_admin, checklist="pmhc-law-enforcement")
    assert error.value.code == "wrong_audience"
    assert not Assessment.objects.exists()


def test_only_the_member_itself_answers(partnership, admin, bh_org, viewer, outsider):
    with pytest.raises(NotAllowed, match="staff of Prairie"):
        assessment_start(partnership=partnership, organization=bh_org, actor=admin)
    with pytest.raises(NotAllowed):
        assessment_start(partnership=partnership, organization=bh_org, actor=viewer)
    assert not Assessment.objects.exists()


def test_draft_then_submit_locks(partnership, admin, organization):
    assessment = assessment_start(partnership=partnership, organization=organization, actor=admin)
    rows = _answers(assessment)
    assessment_save(assessment=assessment, actor=admin, answers={rows[0].item_id: {"answer": "no", "note": "None yet"}})
    assert AssessmentAnswer.objects.get(pk=rows[0].pk).answer == "no"

    with pytest.raises(ServiceError, match=r"unanswered: 2, 3"):
        assessment_submit(assessment=assessment, actor=admin)
    assert Assessment.objects.get(pk=assessment.pk).status == "draft"

    answers = {row.item_id: {"answer": "yes"} for row in rows[1:]}
    submitted = assessment_submit(assessment=assessment, actor=admin, answers=answers)
    assert submitted.status == "submitted" and submitted.submitted_by == admin
    with pytest.raises(Conflict, match="locked"):
        assessment_save(assessment=assessment, actor=admin, answers={rows[0].item_id: {"answer": "yes"}})


def test_bad_answers_change_nothing(partnership, admin, organization):
    assessment = assessment_start(partnership=partnership, organization=organization, actor=admin)
    first = _answers(assessment)[0]
    for answers, code in [
        ({first.item_id: {"answer": "maybe"}}, "invalid_answer"),
        ({999999: {"answer": "yes"}}, "unknown_item"),
    ]:
        with pytest.raises(ServiceError) as error:
            assessment_save(assessment=assessment, actor=admin, answers={first.item_id: {"answer": "yes"}, **answers})
        assert error.value.code == code
    assert AssessmentAnswer.objects.get(pk=first.pk).answer == ""


def test_one_draft_at_a_time(partnership, admin, organization):
    assessment_start(partnership=partnership, organization=organization, actor=admin)
    with pytest.raises(Conflict):
        assessment_start(partnership=partnership, organization=organization, actor=admin)


def test_scores_overall_and_per_element(partnership, admin, organization):
    # Items 1 (organizational support) yes, 2 (org. support, program design) partly, 4 (dispatch) no, 12 n/a.
    assessment = submit_assessment(
        partnership, organization, admin, item_2="partly", item_4="no", item_12="not_applicable"
    )
    overall, elements = assessment_scores(answers=_answers(assessment))
    assert (overall.points, overall.counted, overall.percent) == (9.5, 11, 86.4)
    assert float(assessment.score) == 86.4
    by_key = {score.key: score for score in elements}
    assert by_key["call_taker_dispatch"].percent == 50.0  # item 4 no, item 6 yes
    assert by_key["organizational_support"].percent == 83.3  # 1 yes, 2 partly, 11 yes; 12 n/a left out
    assert next(score.key for score in elements) == "collaborative_planning"


def test_re_assessment_shows_change_per_item_and_element(partnership, admin, organization):
    first = submit_assessment(partnership, organization, admin, item_4="no", item_5="partly")
    second = submit_assessment(partnership, organization, admin, item_4="yes", item_5="no", item_6="not_applicable")
    assert second.previous == first
    comparison = assessment_comparison(assessment=second, answers=_answers(second))
    changes = {change.order: change.change for change in comparison.items}
    assert (changes[4], changes[5], changes[6], changes[1]) == ("better", "worse", "changed", "same")
    dispatch = next(e for e in comparison.elements if e.key == "call_taker_dispatch")
    assert (dispatch.before, dispatch.after, dispatch.delta) == (50.0, 100.0, 50.0)
    assert comparison.overall.before == round(100 * 10.5 / 12, 1)
    assert assessment_comparison(assessment=first, answers=_answers(first)) is None


def test_trend_has_one_series_per_member(partnership, admin, bh_admin, organization, bh_org):
    submit_assessment(partnership, organization, admin, item_1="no")
    submit_assessment(partnership, organization, admin)
    submit_assessment(partnership, bh_org, bh_admin, item_1="no", item_2="no")
    trend = {
        series.organization: [p.score for p in series.points] for series in assessment_trend(partnership=partnership)
    }
    assert trend == {organization.name: [round(100 * 11 / 12, 1), 100.0], bh_org.name: [round(100 * 9 / 11, 1)]}


def test_a_gap_becomes_a_milestone_linked_to_its_item(partnership, admin, organization, viewer):
    assessment = submit_assessment(partnership, organization, admin, item_8="no", item_3="partly")
    gap = AssessmentAnswer.objects.get(assessment=assessment, item__order=8)
    with pytest.raises(NotAllowed):
        assessment_gap_plan(answer=gap, actor=viewer)
    milestone = assessment_gap_plan(answer=gap, actor=admin)
    assert milestone.case == partnership.case and milestone.item == gap.item
    assert milestone.title.startswith("Close the gap: A signed agreement")
    assert AssessmentAnswer.objects.get(pk=gap.pk).milestone == milestone
    with pytest.raises(Conflict):
        assessment_gap_plan(answer=gap, actor=admin)
    yes = AssessmentAnswer.objects.get(assessment=assessment, item__order=1)
    with pytest.raises(ServiceError, match="Only a “no” or “partly”"):
        assessment_gap_plan(answer=yes, actor=admin)
    assert Milestone.objects.filter(case=partnership.case).count() == 1


def test_a_draft_gap_is_not_planned_yet(partnership, admin, organization):
    assessment = assessment_start(partnership=partnership, organization=organization, actor=admin)
    row = _answers(assessment)[0]
    assessment_save(assessment=assessment, actor=admin, answers={row.item_id: {"answer": "no"}})
    with pytest.raises(Conflict, match="Submit the assessment"):
        assessment_gap_plan(answer=row, actor=admin)


def test_a_gap_becomes_a_task_for_the_organization_that_answered(partnership, admin, member, organization, viewer):
    assessment = submit_assessment(partnership, organization, admin, item_8="no", item_3="partly")
    gap = AssessmentAnswer.objects.get(assessment=assessment, item__order=8)
    with pytest.raises(NotAllowed):
        assessment_gap_task(answer=gap, actor=viewer)
    task = assessment_gap_task(answer=gap, actor=admin)
    assert (task.case, task.assignee, task.assignee_organization) == (partnership.case, None, organization)
    assert task.title.startswith("Close the gap: A signed agreement") and "answered “No” to item 8" in task.description
    assert (task.origin_kind, task.origin_id, task.milestone) == ("assessment_gap", gap.pk, None)
    with pytest.raises(Conflict, match="already has a task"):
        assessment_gap_task(answer=gap, actor=admin)
    task_set_status(task=task, actor=admin, status=TaskStatus.DONE)
    milestone = assessment_gap_plan(answer=gap, actor=admin)
    again = assessment_gap_task(answer=gap, actor=admin, assignee=member)  # The first one is finished.
    assert (again.assignee, again.milestone) == (member, milestone)
    yes = AssessmentAnswer.objects.get(assessment=assessment, item__order=1)
    with pytest.raises(ServiceError, match="Only a “no” or “partly”"):
        assessment_gap_task(answer=yes, actor=admin)
    assert Task.objects.filter(case=partnership.case).count() == 2
