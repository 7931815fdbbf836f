"""Random people pressing random buttons on one case: whatever happens, the case and its history stay true.

Hypothesis drives the sample stage machine (tests/workflow/machines.py) and the checklist services with random
users, transitions (and a bogus one), with and without a comment and a confirmation, milestone actions, and time
passing (the clocks' sweep: a submitted request is flagged, then lapses, as the system). A small model written
from the access rules in docs/architecture.md, not from workflow/access.py, predicts which attempts must
succeed; after every step the invariants below are checked against the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from accounts.models import OrganizationKind, Role
from config.errors import ServiceError
from tests import factories
from tests.workflow import machines as sample
from workflow import checklists, services
from workflow.access import EDIT, MANAGE, REVIEW, SCORE, VIEW
from workflow.clocks import clocks_sweep
from workflow.models import Case, Event, Milestone, MilestoneStatus, ParticipantRole

MACHINE = sample.MACHINE

# The rights each person must hold on the case, written out from the access rules.
RIGHTS = {
    "lead_admin": {VIEW, EDIT, MANAGE},
    "lead_member": {VIEW, EDIT},
    "lead_viewer": {VIEW},
    "partner_admin": {VIEW, EDIT, MANAGE},
    "grant_manager": {VIEW, REVIEW, MANAGE},
    "peer_reviewer": set(),  # BJA, but not assigned: sees nothing.
    "assigned_reviewer": {VIEW, SCORE},  # BJA, with a review_case grant: scores, decides nothing.
    "outsider": set(),
}
PEOPLE = sorted(RIGHTS)
LEAD_MEMBERS = {"lead_admin", "lead_member", "lead_viewer"}
# The party organization each person signs for (BJA is not a party: it approves, it does not sign).
SIGNS_FOR = {"lead_admin": "lead", "lead_member": "lead", "partner_admin": "partner"}
PARTIES = {"lead", "partner"}
TRANSITION_NAMES = [transition.name for transition in MACHINE.transitions] + ["teleport"]
MILESTONE_ACTIONS = ["submit", "approve", "request_changes", "sign_off"]
NEXT_ACTIONS = {
    MilestoneStatus.OPEN: ["submit", "sign_off"],
    MilestoneStatus.CHANGES_REQUESTED: ["submit", "sign_off"],
    MilestoneStatus.SUBMITTED: ["approve", "request_changes", "sign_off"],
    MilestoneStatus.APPROVED: ["approve", "sign_off"],
}
# How far a prepared example starts: the transitions (by whom) that take it there.
HEAD_STARTS = [
    (),
    (("lead_member", "submit"),),
    (("lead_member", "submit"), ("grant_manager", "start_review")),
]


def reachable_stages() -> set[str]:
    found, frontier = {MACHINE.initial}, [MACHINE.initial]
    while frontier:
        current = frontier.pop()
        for transition in MACHINE.transitions:
            if current in transition.sources and transition.target not in found:
                found.add(transition.target)
                frontier.append(transition.target)
    return found


@dataclass
class MilestoneModel:
    pk: int
    required: bool
    needs_bja_approval: bool
    joint: bool
    status: str = MilestoneStatus.OPEN
    submitted_by: str | None = None
    signed: set[str] = field(default_factory=set)

    @property
    def decider_right(self) -> str:
        return REVIEW if self.needs_bja_approval else MANAGE


class CaseUnderFire(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.case: Case | None = None

    @initialize(prepared=st.booleans(), head_start=st.sampled_from(HEAD_STARTS))
    def open_case(self, prepared: bool, head_start: tuple) -> None:
        # New organizations and people for every example: examples share one test transaction.
        lead = factories.OrganizationFactory(kind=OrganizationKind.LAW_ENFORCEMENT)
        partner = factories.OrganizationFactory(kind=OrganizationKind.BEHAVIORAL_HEALTH)
        bja = factories.OrganizationFactory(kind=OrganizationKind.FEDERAL)
        elsewhere = factories.OrganizationFactory(kind=OrganizationKind.LAW_ENFORCEMENT)
        self.users = {
            "lead_admin": factories.member_of(lead, Role.ADMIN),
            "lead_member": factories.member_of(lead, Role.MEMBER),
            "lead_viewer": factories.member_of(lead, Role.VIEWER),
            "partner_admin": factories.member_of(partner, Role.ADMIN),
            "grant_manager": factories.member_of(bja, Role.GRANT_MANAGER),
            "peer_reviewer": factories.member_of(bja, Role.PEER_REVIEWER),
            "assigned_reviewer": factories.member_of(bja, Role.PEER_REVIEWER),
            "outsider": factories.member_of(elsewhere, Role.ADMIN),
        }
        self.who = {user.pk: key for key, user in self.users.items()} | {None: "system"}
        self.case = services.case_create(
            kind=sample.KIND,
            title="Stateful",
            organization=lead,
            actor=self.users["lead_admin"],
            participants={partner: ParticipantRole.CO_APPLICANT, bja: ParticipantRole.REVIEWER},
        )
        template = checklists.checklist_template_publish(key="prep", title="Preparation", items=sample.PREP_ITEMS)
        checklists.checklist_instantiate(case=self.case, template=template, actor=self.users["lead_admin"])
        services.case_grant(
            case=self.case,
            user=self.users["assigned_reviewer"],
            permission="review_case",
            actor=self.users["grant_manager"],
        )
        self.stage, self.version = MACHINE.initial, 1
        self.milestones = [
            MilestoneModel(m.pk, m.required, m.needs_bja_approval, m.joint)
            for m in self.case.milestones.order_by("order")
        ]
        self.fired: list[tuple[str, str]] = []  # (person or "system", transition) of every transition that succeeded
        self.flagged = False  # the "lapsing soon" clock flagged the case
        self.succeeded: set[str] = set()  # everyone who changed anything
        # Random presses seldom get a case far past draft: some examples start further along, by the same services.
        if prepared:
            self.team_completes_preparation()
            for person, name in head_start:
                self.fire(person, name)

    # What the model says must fail, and with which codes (any failing check may be the one reported).

    def transition_refusals(self, person: str, name: str, comment: str = "why", confirm: bool = True) -> set[str]:
        transition = MACHINE.transition(name)
        rights = RIGHTS[person]
        if transition is None:
            return {"unknown_transition"} if VIEW in rights else {"unknown_transition", "not_found"}
        if VIEW not in rights:
            return {"not_found"}
        codes = set()
        if name == "lapse":  # Only time lapses a request.
            codes.add("system_only")
        if name in ("abandon", "reopen") and not comment:
            codes.add("comment_required")
        if name == "abandon" and not confirm:
            codes.add("confirmation_required")
        if self.stage not in transition.sources:
            codes.add("wrong_stage")
        if transition.permission not in rights or (name == "submit" and person not in LEAD_MEMBERS):
            codes.add("not_allowed")
        if name == "submit" and not all(m.status == MilestoneStatus.APPROVED for m in self.milestones if m.required):
            codes.add("guard_failed")
        return codes

    def milestone_refusals(self, person: str, action: str, milestone: MilestoneModel) -> set[str]:
        rights = RIGHTS[person]
        if VIEW not in rights:
            return {"not_found"}
        codes = set()
        if action == "submit":
            if EDIT not in rights:
                codes.add("not_allowed")
            if milestone.status not in (MilestoneStatus.OPEN, MilestoneStatus.CHANGES_REQUESTED):
                codes.add("wrong_status")
        elif action in ("approve", "request_changes"):
            if milestone.decider_right not in rights:
                codes.add("not_allowed")
            if milestone.status != MilestoneStatus.SUBMITTED:
                codes.add("wrong_status")
            if milestone.submitted_by == person:
                codes.add("self_approval")
            if action == "approve" and milestone.joint and milestone.signed != PARTIES:
                codes.add("signoff_missing")
        else:
            if EDIT not in rights:
                codes.add("not_allowed")
            if not milestone.joint:
                codes.add("not_joint")
            if milestone.status == MilestoneStatus.APPROVED:
                codes.add("wrong_status")
            if SIGNS_FOR.get(person) in milestone.signed:
                codes.add("already_signed")
        return codes

    def attempt(self, person: str, expected_refusals: set[str], change) -> bool:
        """Run `change`; it must succeed exactly when the model expects no refusal. A refusal writes nothing."""
        events_before = Event.objects.filter(case=self.case).count()
        try:
            change()
        except ServiceError as error:
            assert expected_refusals, f"{person} was refused ({error.code}: {error.message}) but should succeed"
            assert error.code in expected_refusals, f"{person}: {error.code} not among {expected_refusals}"
            assert Event.objects.filter(case=self.case).count() == events_before, "a refusal wrote an event"
            return False
        assert not expected_refusals, f"{person} succeeded but should be refused with {expected_refusals}"
        assert Event.objects.filter(case=self.case).count() == events_before + 1, "a change writes one event"
        self.succeeded.add(person)
        return True

    # Rules

    @rule(
        person=st.sampled_from(PEOPLE),
        name=st.sampled_from(TRANSITION_NAMES),
        comment=st.sampled_from(["stateful", "", "   "]),
        confirm=st.booleans(),
    )
    def fire(self, person: str, name: str, comment: str = "stateful", confirm: bool = True) -> None:
        refusals = self.transition_refusals(person, name, comment.strip(), confirm)

        def change():
            services.case_transition(
                case=self.case, name=name, actor=self.users[person], comment=comment, confirm=confirm
            )

        if self.attempt(person, refusals, change):
            self.stage, self.version = MACHINE.transition(name).target, self.version + 1
            self.fired.append((person, name))

    @rule(data=st.data())
    def someone_entitled_fires_a_possible_transition(self, data) -> None:
        """Random attempts rarely get past draft; this one picks a transition open now and a person who holds it."""
        possible = [t.name for t in MACHINE.transitions_from(self.stage) if not t.system_only]
        if not possible:
            return
        name = data.draw(st.sampled_from(possible), label="transition")
        entitled = [person for person in PEOPLE if self.transition_refusals(person, name) <= {"guard_failed"}]
        self.fire(data.draw(st.sampled_from(entitled), label="person"), name)

    @rule(days=st.sampled_from([10, 24, 31, 45]), sweeps=st.integers(1, 2))
    def time_passes(self, days: int, sweeps: int) -> None:
        """The beat's sweep, once or twice, `days` after the case was opened: the clocks flag on day 23 and lapse
        a request still submitted on day 30, as the system, once."""
        now = self.case.opened_at + timedelta(days=days)
        for _ in range(sweeps):
            clocks_sweep(now=now)
        if self.stage == "submitted" and days >= 30:
            self.stage, self.version = "lapsed", self.version + 1
            self.fired.append(("system", "lapse"))
        elif self.stage == "submitted" and days >= 23:
            self.flagged = True

    @rule(person=st.sampled_from(PEOPLE), action=st.sampled_from(MILESTONE_ACTIONS), index=st.integers(0, 3))
    def act_on_milestone(self, person: str, action: str, index: int) -> None:
        milestone = self.milestones[index]
        instance = Milestone.objects.get(pk=milestone.pk)
        actor = self.users[person]
        services_by_action = {
            "submit": lambda: checklists.milestone_submit(milestone=instance, actor=actor, note="Done."),
            "approve": lambda: checklists.milestone_approve(milestone=instance, actor=actor),
            "request_changes": lambda: checklists.milestone_request_changes(
                milestone=instance, actor=actor, comment="Please revise."
            ),
            "sign_off": lambda: checklists.milestone_sign_off(milestone=instance, actor=actor),
        }
        if not self.attempt(person, self.milestone_refusals(person, action, milestone), services_by_action[action]):
            return
        if action == "submit":
            milestone.status, milestone.submitted_by = MilestoneStatus.SUBMITTED, person
        elif action == "approve":
            milestone.status = MilestoneStatus.APPROVED
        elif action == "request_changes":
            milestone.status = MilestoneStatus.CHANGES_REQUESTED
            milestone.signed.clear()  # Sending a joint item back clears its sign-offs.
        else:
            milestone.signed.add(SIGNS_FOR[person])

    @rule(data=st.data(), index=st.integers(0, 3))
    def someone_entitled_takes_a_milestone_further(self, data, index: int) -> None:
        """Random people are mostly refused at the door. This picks an action that fits the milestone's status and
        someone holding the right it needs (the submitter included), so the status, self-approval and sign-off
        rules get exercised."""
        milestone = self.milestones[index]
        action = data.draw(st.sampled_from(NEXT_ACTIONS[milestone.status]), label="action")
        needed = EDIT if action in ("submit", "sign_off") else milestone.decider_right
        entitled = [person for person in PEOPLE if needed in RIGHTS[person]]
        self.act_on_milestone(data.draw(st.sampled_from(entitled), label="person"), action, index)

    def team_completes_preparation(self) -> None:
        """The people whose job it is take every required milestone to approved, through the same checked steps."""
        for index, milestone in enumerate(self.milestones):
            if not milestone.required or milestone.status == MilestoneStatus.APPROVED:
                continue
            if milestone.status != MilestoneStatus.SUBMITTED:
                self.act_on_milestone(person="lead_member", action="submit", index=index)
            for person, party in SIGNS_FOR.items():
                if milestone.joint and party not in milestone.signed and person.endswith("admin"):
                    self.act_on_milestone(person=person, action="sign_off", index=index)
            decider = next(
                person
                for person in ("lead_admin", "partner_admin", "grant_manager", "assigned_reviewer")
                if milestone.decider_right in RIGHTS[person] and person != milestone.submitted_by
            )
            self.act_on_milestone(person=decider, action="approve", index=index)
            assert milestone.status == MilestoneStatus.APPROVED

    # Invariants

    @invariant()
    def the_database_agrees_with_the_model(self) -> None:
        if self.case is None:
            return
        case = Case.objects.get(pk=self.case.pk)
        assert (case.stage, case.version) == (self.stage, self.version)
        assert (case.closed_at is not None) == MACHINE.stage(case.stage).terminal
        statuses = dict(Milestone.objects.filter(case=case).values_list("pk", "status"))
        assert statuses == {m.pk: m.status for m in self.milestones}

    @invariant()
    def the_stage_is_declared_and_reachable(self) -> None:
        if self.case is None:
            return
        stage = Case.objects.values_list("stage", flat=True).get(pk=self.case.pk)
        assert stage in {declared.name for declared in MACHINE.stages}
        assert stage in reachable_stages()

    @invariant()
    def replaying_the_history_gives_the_current_stage(self) -> None:
        if self.case is None:
            return
        case = Case.objects.get(pk=self.case.pk)
        events = list(Event.objects.filter(case=case, verb="transition").order_by("id"))
        stage = MACHINE.initial
        for event in events:
            transition = MACHINE.transition(event.data["name"])
            assert transition is not None, f"undeclared transition {event.data['name']!r} in the log"
            assert event.data["from"] == stage and stage in transition.sources
            assert event.data["to"] == transition.target
            stage = transition.target
        assert stage == case.stage
        assert len(events) == case.version - 1
        assert [(self.who[event.actor_id], event.data["name"]) for event in events] == self.fired

    @invariant()
    def every_transition_was_fired_by_someone_allowed_to(self) -> None:
        if self.case is None:
            return
        for event in Event.objects.filter(case=self.case, verb="transition"):
            person = self.who[event.actor_id]
            transition = MACHINE.transition(event.data["name"])
            if person == "system":
                assert transition.clock is not None and event.data["by"] == "system" and event.data["reason"]
                continue
            assert not transition.system_only, f"{person} fired {transition.name}, which only time fires"
            assert transition.permission in RIGHTS[person], f"{person} fired {transition.name}"
            if transition.needs_comment(self.case):
                assert event.data["comment"].strip(), f"{transition.name} went through without its reason"
            if transition.name == "submit":
                assert person in LEAD_MEMBERS

    @invariant()
    def nobody_who_cannot_see_the_case_changed_it(self) -> None:
        if self.case is None:
            return
        assert all(VIEW in RIGHTS[person] for person in self.succeeded), self.succeeded
        actors = set(Event.objects.filter(case=self.case).values_list("actor_id", flat=True)) - {None}
        assert all(VIEW in RIGHTS[self.who[actor]] for actor in actors)

    @invariant()
    def time_flags_and_moves_the_case_once(self) -> None:
        if self.case is None:
            return
        flags = Event.objects.filter(case=self.case, verb="clock.flagged", data__clock="lapsing_soon")
        assert flags.count() == (1 if self.flagged else 0)
        assert all(event.actor_id is None and event.data["by"] == "system" for event in flags)

    @invariant()
    def approvals_come_from_someone_else_with_the_right(self) -> None:
        if self.case is None:
            return
        for milestone in Milestone.objects.filter(case=self.case, status=MilestoneStatus.APPROVED):
            assert milestone.decided_by_id is not None
            assert milestone.decided_by_id != milestone.submitted_by_id
            right = REVIEW if milestone.needs_bja_approval else MANAGE
            assert right in RIGHTS[self.who[milestone.decided_by_id]]
            if milestone.joint:
                assert milestone.signoffs.count() == len(PARTIES)


def test_random_people_and_buttons_keep_the_case_and_its_history_true(db):
    run_state_machine_as_test(
        CaseUnderFire,
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            database=None,
            # No shrinking: every attempt re-creates the people and the case, so shrinking one failure would run
            # into pytest's time limit. The report still lists every step of the failing run (at most 20).
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
