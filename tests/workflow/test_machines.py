"""Stage machines: what a declaration may not get wrong, and what the transition service checks, in order."""

import pytest
from django.core import checks
from django.db import connection

from accounts.models import Role
from config.errors import Conflict, NotAllowed, NotFound, ServiceError
from tests import factories
from tests.workflow import machines as sample
from workflow import checklists, services
from workflow.apps import check_machines
from workflow.errors import GuardFailed
from workflow.machines import Machine, Stage, Transition, registry
from workflow.models import Case, Event, ParticipantRole

BOTH_SUBMIT_REASONS = [
    "A co-applicant or partner organization must take part.",
    "Every required preparation milestone must be approved.",
]


@pytest.fixture
def in_review_case(submitted_case, grant_manager):
    return services.case_transition(case=submitted_case, name="start_review", actor=grant_manager)


def snapshot(case: Case) -> tuple:
    """What a refused transition must leave untouched: the row and the history."""
    row = Case.objects.values_list("stage", "version", "closed_at").get(pk=case.pk)
    return row, list(Event.objects.filter(case=case).values_list("id", flat=True))


def small_machine(**changes) -> Machine:
    declaration = {
        "kind": "probe",
        "label": "Probe",
        "initial": "new",
        "stages": [Stage("new", "New"), Stage("open", "Open"), Stage("done", "Done", terminal=True)],
        "transitions": [
            Transition("start", "Start", ("new",), "open"),
            Transition("finish", "Finish", ("open",), "done"),
        ],
    }
    return Machine(**{**declaration, **changes})


# Declarations


def test_a_sound_declaration_has_no_problems():
    assert small_machine().problems() == []


def test_the_registered_sample_machine_has_no_problems():
    assert registry.get(sample.KIND) is sample.MACHINE
    assert sample.MACHINE.problems() == []


def test_problems_name_an_unreachable_stage():
    machine = small_machine(stages=[*small_machine().stages, Stage("orphan", "Orphan", terminal=True)])
    assert machine.problems() == ["stage 'orphan' cannot be reached from 'new'"]


def test_problems_name_a_transition_to_an_undeclared_stage():
    transitions = [*small_machine().transitions, Transition("archive", "Archive", ("done",), "archived")]
    assert small_machine(transitions=transitions).problems() == [
        "transition 'archive' uses undeclared stage 'archived'"
    ]


def test_problems_name_a_non_terminal_dead_end():
    stages = [Stage("new", "New"), Stage("open", "Open"), Stage("done", "Done")]
    assert small_machine(stages=stages).problems() == ["non-terminal stage 'done' has no way out"]


def test_problems_name_hooks_on_undeclared_stages():
    machine = small_machine(
        on_enter={"opened": [lambda case, actor, event: None]},
        after_commit={"closed": [lambda case_id, event_id: None]},
    )
    assert machine.problems() == ["hook on undeclared stage 'opened'", "hook on undeclared stage 'closed'"]


def test_problems_name_an_undeclared_initial_stage_and_duplicates():
    machine = small_machine(initial="start", stages=[*small_machine().stages, Stage("new", "Again")])
    found = machine.problems()
    assert "initial stage 'start' is not declared" in found
    assert "a stage is declared twice" in found


def test_the_system_check_reports_a_broken_machine_and_nothing_for_sound_ones():
    assert [error for error in check_machines() if error.id == "workflow.E001"] == []
    registry.register(small_machine(kind="broken_probe", stages=[Stage("new", "New"), Stage("open", "Open")]))
    try:
        errors = check_machines()
    finally:
        registry.unregister("broken_probe")
    assert errors, "a broken machine must fail manage.py check"
    assert {error.id for error in errors} == {"workflow.E001"}
    assert all(isinstance(error, checks.Error) for error in errors)
    assert any("'broken_probe'" in error.msg and "'done'" in error.msg for error in errors)
    assert check_machines() == []


def test_the_system_check_is_registered_with_django():
    registry.register(small_machine(kind="broken_probe", transitions=[]))
    try:
        errors = checks.run_checks()
    finally:
        registry.unregister("broken_probe")
    assert any(error.id == "workflow.E001" and "'broken_probe'" in error.msg for error in errors)


# The transition service: what it refuses, and that a refusal writes nothing


def test_an_unknown_transition_is_an_input_error_and_writes_nothing(case, admin):
    before = snapshot(case)
    with pytest.raises(ServiceError) as error:
        services.case_transition(case=case, name="teleport", actor=admin)
    assert type(error.value) is ServiceError and error.value.status == 400
    assert error.value.code == "unknown_transition"
    assert error.value.field == "name"
    assert snapshot(case) == before


def test_a_transition_from_the_wrong_stage_is_a_conflict_and_writes_nothing(case, grant_manager):
    before = snapshot(case)
    with pytest.raises(Conflict) as error:
        services.case_transition(case=case, name="approve", actor=grant_manager)
    assert error.value.code == "wrong_stage"
    assert "Draft" in error.value.message, "the message names the current stage"
    assert snapshot(case) == before


@pytest.mark.parametrize("name", ["withdraw", "submit"])
def test_a_viewer_may_not_fire_transitions(case, viewer, name):
    before = snapshot(case)
    with pytest.raises(NotAllowed):
        services.case_transition(case=case, name=name, actor=viewer)
    assert snapshot(case) == before


def test_permission_is_checked_before_the_stage(case, member):
    """Someone who may never approve is told so, not that approving is impossible from Draft."""
    with pytest.raises(NotAllowed):
        services.case_transition(case=case, name="approve", actor=member)


@pytest.mark.parametrize("name", ["withdraw", "approve"])
def test_an_outsider_is_told_the_case_does_not_exist_whatever_the_stage(case, outsider, name):
    before = snapshot(case)
    with pytest.raises(NotFound):
        services.case_transition(case=case, name=name, actor=outsider)
    assert snapshot(case) == before


def test_a_peer_reviewer_without_an_assignment_does_not_see_the_case(submitted_case, peer_reviewer):
    with pytest.raises(NotFound):
        services.case_transition(case=submitted_case, name="start_review", actor=peer_reviewer)


def test_an_assigned_peer_reviewer_may_not_fire_review_transitions(submitted_case, peer_reviewer, grant_manager):
    """A peer reviewer scores; BJA's grant managers decide. A transition would name the reviewer on the timeline."""
    services.case_grant(case=submitted_case, user=peer_reviewer, permission="review_case", actor=grant_manager)
    before = snapshot(submitted_case)
    with pytest.raises(NotAllowed):
        services.case_transition(case=submitted_case, name="start_review", actor=peer_reviewer)
    assert snapshot(submitted_case) == before
    case = services.case_transition(case=submitted_case, name="start_review", actor=grant_manager)
    assert case.stage == "in_review"


def test_a_rule_refuses_a_partner_who_holds_the_permission(case, partner, admin, member, grant_manager):
    sample.approve_preparation(case, member=member, admin=admin, partner=partner, grant_manager=grant_manager)
    before = snapshot(case)
    with pytest.raises(NotAllowed) as error:
        services.case_transition(case=case, name="submit", actor=partner)
    assert error.value.message == "Only the lead organization submits."
    assert snapshot(case) == before


def test_guard_failures_list_every_failing_reason(organization, bja, admin, prep_template):
    lonely = services.case_create(
        kind=sample.KIND,
        title="No partner yet",
        organization=organization,
        actor=admin,
        participants={bja: ParticipantRole.REVIEWER},
    )
    checklists.checklist_instantiate(case=lonely, template=prep_template, actor=admin)
    before = snapshot(lonely)
    with pytest.raises(GuardFailed) as error:
        services.case_transition(case=lonely, name="submit", actor=admin)
    assert error.value.reasons == BOTH_SUBMIT_REASONS
    assert error.value.status == 409 and error.value.code == "guard_failed"
    assert all(reason in error.value.message for reason in BOTH_SUBMIT_REASONS)
    assert snapshot(lonely) == before


def test_guard_failures_name_only_what_is_still_missing(case, admin):
    with pytest.raises(GuardFailed) as error:
        services.case_transition(case=case, name="submit", actor=admin)
    assert error.value.reasons == [BOTH_SUBMIT_REASONS[1]]


def test_an_optional_milestone_does_not_hold_up_the_guard(case, member, admin, partner, grant_manager):
    sample.approve_preparation(case, member=member, admin=admin, partner=partner, grant_manager=grant_manager)
    assert case.milestones.get(required=False).status == "open"
    assert services.case_transition(case=case, name="submit", actor=member).stage == "submitted"


def test_a_successful_transition_moves_bumps_the_version_and_records_from_and_to(submitted_case, grant_manager):
    case = services.case_transition(case=submitted_case, name="start_review", actor=grant_manager, comment="On it.")
    case.refresh_from_db()
    assert (case.stage, case.version) == ("in_review", 3)
    event = Event.objects.filter(case=case, verb="transition").latest("id")
    assert event.actor == grant_manager
    assert event.data == {
        "name": "start_review",
        "label": "Start review",
        "from": "submitted",
        "to": "in_review",
        "comment": "On it.",
        "version": 3,
    }


def test_expected_version_must_match(case, admin):
    with pytest.raises(Conflict) as error:
        services.case_transition(case=case, name="withdraw", actor=admin, expected_version=7)
    assert error.value.code == "stale"
    assert services.case_transition(case=case, name="withdraw", actor=admin, expected_version=1).version == 2


# Hooks and closing


def test_on_enter_runs_inside_the_transaction_and_after_commit_only_after_it(
    in_review_case, grant_manager, django_capture_on_commit_callbacks
):
    sample.entered.clear()
    sample.committed.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.case_transition(case=in_review_case, name="approve", actor=grant_manager)
        assert sample.entered == [(in_review_case.pk, "approved")]
        assert sample.committed == [], "after_commit hooks wait for the commit"
    assert len(callbacks) == 1
    callbacks[0]()
    assert sample.committed == [in_review_case.pk]


def test_a_refused_transition_queues_no_after_commit_hook(in_review_case, viewer, django_capture_on_commit_callbacks):
    sample.entered.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(NotAllowed):
        services.case_transition(case=in_review_case, name="approve", actor=viewer)
    assert callbacks == [] and sample.entered == []


@pytest.fixture
def probe_kind():
    """A machine whose hooks report what they saw; registered for one test."""
    seen: dict = {}

    def on_enter(case, actor, event):
        seen["in_atomic_block"] = connection.in_atomic_block
        seen["case_stage_saved"] = Case.objects.get(pk=case.pk).stage
        seen["event"] = (event.verb, event.data["to"], event.actor_id)
        if seen.get("fail"):
            raise RuntimeError("hook failed")

    def after_commit(case_id, event_id):
        seen["after_commit"] = (case_id, event_id)

    registry.register(small_machine(kind="probe", on_enter={"open": [on_enter]}, after_commit={"open": [after_commit]}))
    yield seen
    registry.unregister("probe")


def test_hooks_receive_the_case_the_actor_and_the_event(
    probe_kind, organization, admin, django_capture_on_commit_callbacks
):
    case = services.case_create(kind="probe", title="Probe", organization=organization, actor=admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_transition(case=case, name="start", actor=admin)
    assert probe_kind["in_atomic_block"] is True
    assert probe_kind["case_stage_saved"] == "open", "on_enter sees the new stage already written"
    assert probe_kind["event"] == ("transition", "open", admin.pk)
    event = Event.objects.get(case=case, verb="transition")
    assert probe_kind["after_commit"] == (case.pk, event.pk)


def test_a_failing_on_enter_hook_rolls_the_transition_back(
    probe_kind, organization, admin, django_capture_on_commit_callbacks
):
    case = services.case_create(kind="probe", title="Probe", organization=organization, actor=admin)
    probe_kind["fail"] = True
    before = snapshot(case)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        services.case_transition(case=case, name="start", actor=admin)
    assert snapshot(case) == before, "stage, version and event are undone with the hook"
    assert callbacks == [] and "after_commit" not in probe_kind


def test_a_terminal_stage_closes_the_case_and_others_leave_it_open(in_review_case, grant_manager):
    assert in_review_case.closed_at is None
    case = services.case_transition(case=in_review_case, name="reject", actor=grant_manager)
    case.refresh_from_db()
    assert case.stage == "rejected" and case.closed_at is not None


def test_returning_to_the_applicant_keeps_the_case_open(in_review_case, grant_manager):
    case = services.case_transition(case=in_review_case, name="return", actor=grant_manager)
    case.refresh_from_db()
    assert case.stage == "draft" and case.closed_at is None


def test_a_closed_case_cannot_move_again(case, admin):
    services.case_transition(case=case, name="withdraw", actor=admin)
    with pytest.raises(Conflict) as error:
        services.case_transition(case=case, name="withdraw", actor=admin)
    assert error.value.code == "wrong_stage"


def test_a_lead_member_may_submit_but_not_withdraw(case, member):
    with pytest.raises(NotAllowed):
        services.case_transition(case=case, name="withdraw", actor=member)


def test_a_deactivated_member_loses_the_case(case, admin, organization):
    other_admin = factories.member_of(organization, Role.ADMIN)
    other_admin.memberships.update(is_active=False)
    with pytest.raises(NotFound):
        services.case_transition(case=case, name="withdraw", actor=other_admin)


def test_a_case_links_to_its_domain_page_when_the_machine_names_one(case):
    assert case.get_absolute_url() == f"/cases/{case.pk}/"
    sample.MACHINE.page_url = lambda c: f"/samples/{c.pk}/"
    try:
        assert case.get_absolute_url() == f"/samples/{case.pk}/"
    finally:
        sample.MACHINE.page_url = None
