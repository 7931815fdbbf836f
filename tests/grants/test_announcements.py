"""Grant outcomes reach exactly the people they concern: event × role.

Everyone of the story is present in each test: the police department's admin (Ada) and member (Max) and
viewer (Vera), the co-applicant's admin (Alicia) and member (Sam), BJA's grant manager (Helen) and viewer
(Bea), a peer reviewer (Victor), and an outsider (Otto).
"""

from datetime import timedelta

import pytest

from grants import services as grant_services
from grants.awards import services
from grants.models import Outcome
from reminders.models import Notification, NotificationStatus
from reminders.services.announcements import Announcement, announcement_register, announcements
from reminders.services.inbox import preference_update
from tests.grants import award_flow, flow
from tests.reminders.announcing import everyone_told, told
from workflow.models import Event
from workflow.roles import GRANT_MANAGERS, PARTICIPANT_MEMBERS

APPLICANTS = {"Ada Admin", "Max Member", "Alicia Romero", "Sam Okafor"}
LEAD = {"Ada Admin", "Max Member"}
NEVER = {"Vera Viewer", "Bea Viewer", "Otto Outsider"}


@pytest.fixture
def cast(admin, member, viewer, bh_admin, bh_member, grant_manager, bja_viewer, reviewer, outsider):
    return locals()


def test_an_application_found_complete_is_announced_to_the_applicants_staff(submitted, grant_manager, cast):
    flow.to_peer_review(submitted, grant_manager)
    assert told("application-accept_complete") == APPLICANTS
    subject = Notification.objects.filter(window="application-accept_complete").values_list("subject", flat=True)[0]
    assert subject == "Your application “Springfield co-responder program” was found complete: it goes to peer review"


def test_a_submitted_review_reaches_the_grant_manager_and_no_applicant(in_peer_review, grant_manager, reviewer, cast):
    flow.review(in_peer_review, grant_manager, reviewer)
    assert told("review.submitted") == {"Helen Brooks"}
    names = " ".join(Notification.objects.values_list("subject", flat=True)) + " ".join(
        Notification.objects.values_list("body", flat=True)
    )
    assert "Victor" not in names  # No notification names the peer reviewer.
    applicants_told = set(
        Notification.objects.filter(recipient__full_name__in=APPLICANTS, target__startswith="event:")
        .filter(target__in=[f"event:{pk}" for pk in Event.objects.filter(verb__startswith="review.").values("pk")])
        .values_list("window", flat=True)
    )
    assert not applicants_told


def test_a_reviewers_event_is_never_announced_to_applicants_even_when_declared_so(
    in_peer_review, grant_manager, reviewer, cast
):
    """A declaration that names the applicants for a reviewers' event is held back by the listener itself."""
    careless = Announcement(
        event="review.declared", to=(PARTICIPANT_MEMBERS, GRANT_MANAGERS), kind="grant_outcomes", subject="x"
    )
    announcement_register(careless)
    try:
        flow.review(in_peer_review, grant_manager, reviewer)
    finally:
        announcements.unregister(careless)
    assert told("review.declared") == {"Helen Brooks"}  # It matched; only those who run the review heard.


def test_not_funded_is_announced_to_the_applicants(in_peer_review, grant_manager, reviewer, cast):
    flow.review(in_peer_review, grant_manager, reviewer)
    flow.to_decision(in_peer_review, grant_manager)
    grant_services.decision_record(
        application=in_peer_review, actor=grant_manager, outcome=Outcome.NOT_FUNDED, conditions="Outranked this round."
    )
    assert told("application-not_fund") == APPLICANTS


def test_award_accepted_and_declined_reach_bjas_grant_managers(award, admin, cast):
    award_flow.accept(award, admin)
    assert told("award-accept") == {"Helen Brooks"}


def test_a_declined_award_carries_its_reason(award, admin, cast):
    services.award_decline(award=award, actor=admin, reason="The county withdrew its match.", confirm=True)
    assert told("award-decline") == {"Helen Brooks"}
    body = Notification.objects.get(window="award-decline").body
    assert "Comment: The county withdrew its match." in body


def test_a_modification_decision_reaches_the_lead_with_the_reason(award, admin, grant_manager, cast):
    award = award_flow.accept(award, admin)
    modification = services.modification_prepare(
        award=award, actor=admin, kind="no_cost_extension", description="Hiring delays.",
        new_end=award.end + timedelta(days=90),
    )  # fmt: skip
    modification = services.modification_submit(modification=modification, actor=admin)
    services.modification_decide(modification=modification, actor=grant_manager, approve=False, comment="Justify it.")
    assert told("modification.denied") == LEAD
    assert "Comment: Justify it." in Notification.objects.filter(window="modification.denied").first().body


def test_a_report_approved_by_bja_reaches_the_lead_and_its_sending_back_is_left_to_the_hand_off(
    award, admin, member, bh_member, grant_manager, cast
):
    award = award_flow.accept(award, admin)
    first = award_flow.report_through_lead(award_flow.first_quarterly(award), bh_member, member)
    services.report_return(report=first, actor=grant_manager, comment="Add the dispositions.")
    assert told("milestone.changes_requested") == set()  # The route's "sent back" hand-off tells the drafter.
    services.report_draft(report=first, actor=bh_member, text="With dispositions.")
    services.report_submit(report=first, actor=member)
    services.report_approve(report=first, actor=grant_manager, comment="Thank you.")
    assert told("milestone.approved") == LEAD


def test_nothing_reaches_a_viewer_an_outsider_or_bja_viewer_through_the_whole_story(
    award, admin, member, bh_member, grant_manager, cast
):
    award = award_flow.accept(award, admin)
    report = award_flow.report_through_lead(award_flow.first_quarterly(award), bh_member, member)
    services.report_approve(report=report, actor=grant_manager)
    everyone = set().union(*everyone_told().values())
    assert everyone and not everyone & NEVER
    assert "Victor Chen" not in everyone


def test_the_actor_is_not_told_and_each_event_is_announced_once(award, admin, grant_manager, cast):
    from reminders.services.announcements import announcements_from_event

    grant_manager_award = award_flow.accept(award, admin)
    assert "Ada Admin" not in told("award-accept")
    event = Event.objects.filter(case=grant_manager_award.case, verb="transition").latest("id")
    before = Notification.objects.count()
    announcements_from_event(event)  # A repeat writes nothing: the key names the event.
    assert Notification.objects.count() == before


def test_each_person_chooses_the_channel_of_grant_outcomes(award, admin, grant_manager, cast):
    preference_update(user=grant_manager, channels={"grant_outcomes": "in_app"})
    award_flow.accept(award, admin)
    assert Notification.objects.get(window="award-accept").status == NotificationStatus.IN_APP
