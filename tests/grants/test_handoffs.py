"""Grant hand-offs, event × role: each reaches exactly the people who must act, and its item waits in their queue.

Never a viewer, an outsider, the one who acted, or (for anything a peer reviewer did) an applicant.
"""

from __future__ import annotations

from datetime import date

import pytest

from accounts.models import Role
from grants import services
from grants.awards import services as award_services
from reminders.models import Notification
from reminders.queue import queue_for_user
from tests import factories
from tests.grants import award_flow, flow
from workflow.services import case_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(
    admin, member, viewer, bh_admin, bh_member, grant_manager, bja_viewer, reviewer, reviewer2, outsider, bh_org
):
    return {
        "lead admin": admin,
        "lead member": member,
        "lead viewer": viewer,
        "partner admin": bh_admin,
        "partner member": bh_member,
        "partner viewer": factories.member_of(bh_org, Role.VIEWER),
        "grant manager": grant_manager,
        "BJA viewer": bja_viewer,
        "reviewer": reviewer,
        "other reviewer": reviewer2,
        "outsider": outsider,
    }


def told(people, act) -> dict[str, list[str]]:
    """Run `act`; who got which new hand-off notification, by name."""
    before = set(Notification.objects.filter(kind="handoff").values_list("pk", flat=True))
    act()
    names = {user.pk: name for name, user in people.items()}
    found: dict[str, list[str]] = {}
    for notification in Notification.objects.filter(kind="handoff").exclude(pk__in=before).order_by("pk"):
        found.setdefault(names.get(notification.recipient_id, notification.recipient_id), []).append(
            notification.subject
        )
    return found


def waiting(people) -> dict[str, list[str]]:
    return {name: [row["action"] for row in queue_for_user(user=user)] for name, user in people.items()}


def test_submitting_hands_the_application_to_the_grant_managers(people, application, admin, bh_admin):
    flow.prepare(application, admin, bh_admin)
    got = told(people, lambda: services.application_submit(application=application, actor=admin))
    action = f"Start the completeness review: {application.case.title}"
    assert got == {"grant manager": [action]}
    queues = waiting(people)
    assert queues["grant manager"] == [action]
    assert all(action not in items for name, items in queues.items() if name != "grant manager")


def test_returned_as_incomplete_goes_back_to_the_lead_with_the_reasons(people, submitted, grant_manager):
    flow.to_completeness_review(submitted, grant_manager)
    got = told(
        people,
        lambda: services.completeness_record(
            application=submitted, actor=grant_manager, complete=False, reasons=["Budget narrative missing"]
        ),
    )
    action = f"Complete and submit the application: {submitted.case.title}"
    assert got == {"lead admin": [action], "lead member": [action]}
    notification = Notification.objects.get(recipient=people["lead admin"], kind="handoff")
    assert "Budget narrative missing" in notification.body
    assert notification.url == submitted.case.get_absolute_url()
    [row] = [row for row in queue_for_user(user=people["lead member"]) if row["action"] == action]
    assert row["comment"] == "Budget narrative missing"
    assert row["due_date"] is not None or row["due_at"] is not None  # The JustGrants deadline.


def test_peer_review_hand_offs_never_reach_applicants(people, in_peer_review, grant_manager, reviewer):
    title = in_peer_review.case.title
    got = told(
        people, lambda: services.reviewer_assign(application=in_peer_review, reviewer=reviewer, actor=grant_manager)
    )
    assert got == {"reviewer": [f"Declare any conflict of interest, then score “{title}”"]}
    assert waiting(people)["reviewer"] == [f"Declare any conflict of interest, then score “{title}”"]

    assert (
        told(people, lambda: services.review_declare(application=in_peer_review, actor=reviewer, no_conflict=True))
        == {}
    )
    assert waiting(people)["reviewer"] == [f"Score “{title}”"]

    scores = flow.scores_for(in_peer_review, flow.Decimal("0.8"))
    got = told(people, lambda: services.review_submit(application=in_peer_review, actor=reviewer, scores=scores))
    close = f"Read the peer reviews and close the peer review of “{title}”"
    assert got == {"grant manager": [close]}
    body = Notification.objects.get(recipient=people["grant manager"], subject=close).body
    assert reviewer.full_name not in body and reviewer.email not in body
    queues = waiting(people)
    assert queues["reviewer"] == [] and queues["grant manager"] == [close]
    for applicant in ("lead admin", "lead member", "partner admin", "partner member"):
        assert not any("review" in action.lower() for action in queues[applicant])


def test_award_acceptance_waits_on_the_authorized_representative(people, award, admin):
    action = f"Accept or decline the award: {award.case.title}"
    queues = waiting(people)
    assert action in queues["lead admin"]
    assert all(action not in items for name, items in queues.items() if name != "lead admin")
    [row] = [row for row in queue_for_user(user=admin) if row["action"] == action]
    assert row["due_date"] == award.acceptance_due
    award_flow.accept(award, admin)
    assert action not in waiting(people)["lead admin"]


def test_each_report_step_reaches_the_next_people(people, award, admin, member, bh_member, grant_manager):
    award = award_flow.accept(award, admin)
    report = award_flow.first_quarterly(award)
    title = report.milestone.title

    got = told(people, lambda: award_services.report_draft(report=report, actor=bh_member, text="Calls diverted: 42."))
    for_lead = f"Approve the report “{title}” for submission to BJA"
    assert got == {"lead admin": [for_lead], "lead member": [for_lead]}

    got = told(people, lambda: award_services.report_submit(report=report, actor=member))
    assert got == {"grant manager": [f"Approve the report “{title}”"]}
    assert for_lead not in waiting(people)["lead admin"]

    got = told(
        people,
        lambda: award_services.report_return(report=report, actor=grant_manager, comment="Add the Q3 call numbers."),
    )
    revise = f"Revise the report “{title}” (sent back)"
    assert got == {"lead admin": [revise], "lead member": [revise], "partner member": [revise]}
    notification = Notification.objects.get(recipient=bh_member, subject=revise)
    assert "Add the Q3 call numbers." in notification.body
    assert notification.url == f"/grants/awards/{award.pk}/reports/{report.pk}/"
    assert f"Approve the report “{title}”" not in waiting(people)["grant manager"]


def test_a_modification_waits_on_the_grant_manager(people, award, admin, grant_manager):
    award = award_flow.accept(award, admin)
    modification = award_services.modification_prepare(
        award=award, actor=admin, kind="no_cost_extension", description="Hiring delays.",
        new_end=date(award.end.year + 1, 3, 31),
    )  # fmt: skip
    got = told(people, lambda: award_services.modification_submit(modification=modification, actor=admin))
    action = f"Decide on the no cost extension modification of “{award.case.title}”"
    assert got == {"grant manager": [action]}
    award_services.modification_decide(modification=modification, actor=grant_manager, approve=True)
    assert action not in waiting(people)["grant manager"]


def test_stage_hand_offs_inside_bja_go_to_the_other_grant_managers_only(people, submitted, grant_manager, bja):
    colleague = factories.member_of(bja, Role.GRANT_MANAGER)
    people["colleague"] = colleague
    got = told(
        people, lambda: case_transition(case=submitted.case, name="begin_completeness_review", actor=grant_manager)
    )
    assert got == {"colleague": [f"Record the completeness finding: {submitted.case.title}"]}
