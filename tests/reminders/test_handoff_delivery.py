"""Hand-offs reach the people who must act by email, through a real Celery worker, Redis and an SMTP server.

One event per app: a grant application submitted (to BJA's grant manager), a TA request filed (to the Learning
Site's coordinator), a task assigned (to its assignee), an invitation (to the invitee). Each email names the
action, links straight to where it is done, and carries the one-click unsubscribe headers; nobody else gets one.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from accounts.models import OrganizationKind, Role
from accounts.services import membership_invite
from grants import services as grants
from partnerships.services.ta import ta_request_create
from tasks.services.task import task_create
from tests import factories
from tests.grants import flow
from tests.reminders.real_services import wait_for
from tests.reminders.test_reliability import redis_server, smtp, workers  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_one_hand_off_per_app_is_emailed_to_exactly_who_must_act(workers, smtp):  # noqa: F811
    police = factories.OrganizationFactory(name="Springfield Police Department", kind=OrganizationKind.LAW_ENFORCEMENT)
    partner = factories.OrganizationFactory(name="Prairie Behavioral Health", kind=OrganizationKind.BEHAVIORAL_HEALTH)
    bja = factories.OrganizationFactory(name="Bureau of Justice Assistance", kind=OrganizationKind.FEDERAL)
    site = factories.OrganizationFactory(
        name="Madison County Sheriff's Office", kind=OrganizationKind.LAW_ENFORCEMENT, is_learning_site=True
    )
    admin = factories.member_of(police, Role.ADMIN, full_name="Ada Admin")
    member = factories.member_of(police, Role.MEMBER, full_name="Max Member")
    viewer = factories.member_of(police, Role.VIEWER, full_name="Vera Viewer")
    bh_admin = factories.member_of(partner, Role.ADMIN, full_name="Alicia Romero")
    manager = factories.member_of(bja, Role.GRANT_MANAGER, full_name="Helen Brooks")
    coordinator = factories.member_of(site, Role.ADMIN, full_name="Ray Holloway")
    workers.start()

    solicitation = flow.solicitation_publish(agency=bja, manager=manager)
    application = flow.application_start(solicitation=solicitation, lead=police, actor=admin, co_applicants=[partner])
    flow.prepare(application, admin, bh_admin)
    # Drafting sends the lead's other staff "complete and submit": let those go out before counting the rest.
    wait_for(lambda: len(smtp.messages) >= 1, timeout=60, what="the draft hand-off to the lead's member")
    drafted = {message["To"] for message in smtp.messages}
    assert drafted == {member.email}

    grants.application_submit(application=application, actor=admin)
    ta = ta_request_create(actor=member, organization=police, topic="co_responder", preferred_delivery="training",
                           description="CIT training for 20 officers.")  # fmt: skip
    task_create(case=application.case, actor=admin, title="Send the MOU draft", assignee=member)
    invited = membership_invite(actor=admin, organization=police, email="newcomer@example.gov", role=Role.MEMBER)

    wait_for(lambda: len(smtp.messages) >= 5, timeout=90, what="the four hand-off emails")
    by_recipient = {}
    for message in smtp.messages[1:]:
        by_recipient.setdefault(message["To"], []).append(message)
    assert set(by_recipient) == {manager.email, coordinator.email, member.email, "newcomer@example.gov"}
    assert viewer.email not in by_recipient and bh_admin.email not in by_recipient and admin.email not in by_recipient

    [to_manager] = by_recipient[manager.email]
    assert str(to_manager["Subject"]) == f"Start the completeness review: {application.case.title}"
    assert f"{settings.SITE_URL}/grants/cases/{application.case_id}/" in _text(to_manager)
    assert "/notifications/unsubscribe/" in to_manager["List-Unsubscribe"]
    assert to_manager["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    [to_coordinator] = by_recipient[coordinator.email]
    assert str(to_coordinator["Subject"]) == f"Acknowledge the TA request: {ta.case.title}"
    assert f"{settings.SITE_URL}/ta/{ta.pk}/" in _text(to_coordinator) and "Due:" in _text(to_coordinator)

    [to_member] = by_recipient[member.email]
    assert "Send the MOU draft" in str(to_member["Subject"])
    [to_newcomer] = by_recipient["newcomer@example.gov"]
    assert f"/invitation/{invited.pk}/" in _text(to_newcomer) or f"/invitations/{invited.pk}/" in _text(to_newcomer)
