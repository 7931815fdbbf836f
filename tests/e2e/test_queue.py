""" "Waiting for me" in a real browser, one story per kind of user, with the demo users.

Each starts from the link in their "it's your turn" email (rendered as the outbox would send it, pointed at the
live server), lands on the page where the item is done, clears it there, and sees the queue count in the
navigation drop.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from accounts.demo import DEMO_DOMAIN
from accounts.models import User
from grants import services as grants
from grants.awards import services as awards
from grants.models import Award, ReportKind
from partnerships.demo import load as partnerships_demo_load
from partnerships.models import TARequest
from reminders.emails import notification_email
from reminders.models import Notification
from tests.e2e.test_login import assert_accessible
from tests.e2e.test_preaward import _click, _status, demo, people  # noqa: F401  (fixtures)
from tests.grants import flow

pytestmark = pytest.mark.browser


def _user(local_part: str) -> User:
    return User.objects.get(email=f"{local_part}@{DEMO_DOMAIN}")


def _count(page) -> int:
    return int(page.get_by_test_id("queue-count").inner_text())


def _from_email(page, user: User, subject: str) -> None:
    """Open the link of the hand-off email `user` got with this subject, as their mail client would."""
    notification = Notification.objects.get(recipient=user, kind="handoff", subject=subject)
    text = notification_email(notification).body
    link = re.search(rf"{re.escape(settings.SITE_URL)}(\S+)", text).group(1)
    page.goto(link)
    page.wait_for_load_state()


@pytest.fixture
def award(demo):  # noqa: F811
    police, provider, manager = _user("police.admin"), _user("bh.admin"), _user("bja.manager")
    application = flow.submit(demo, police, provider)
    flow.to_peer_review(application, manager)
    flow.review(application, manager, _user("bja.reviewer1"))
    flow.to_decision(application, manager)
    flow.award(application, manager)
    return Award.objects.get(application=application)


def test_agency_grant_manager_and_partner_clear_their_award_items(award, people):  # noqa: F811
    police = people("police.admin")
    police.goto("/")
    before = _count(police)
    accept = f"Accept or decline the award: {award.case.title}"
    assert police.get_by_role("link", name=accept).is_visible()  # On the dashboard, first.
    _from_email(police, _user("police.admin"), accept)
    assert_accessible(police)
    _click(police, "Accept the award")
    assert "You accepted the award." in _status(police)
    assert _count(police) == before - 1

    report = award.reports.filter(kind=ReportKind.PERFORMANCE).order_by("due_date").first()
    title = report.milestone.title
    awards.report_draft(report=report, actor=_user("bh.member"), text="Calls diverted: 42.")
    awards.report_submit(report=report, actor=_user("police.member"))
    manager = people("bja.manager")
    manager.goto("/queue/")
    before = _count(manager)
    _from_email(manager, _user("bja.manager"), f"Approve the report “{title}”")
    assert "waiting for BJA" in manager.locator("#report-status").inner_text()
    manager.get_by_label("Comment").fill("Add the call numbers for March.")
    _click(manager, "Send the report back")
    assert _count(manager) == before - 1

    provider = people("bh.member")
    provider.goto("/")
    before = _count(provider)
    revise = f"Revise the report “{title}” (sent back)"
    _from_email(provider, _user("bh.member"), revise)
    assert "Add the call numbers for March." in provider.locator("#report-status").inner_text()
    provider.get_by_label("Report").fill("Calls diverted: 42 (March: 15).")
    _click(provider, "Save the draft")
    assert "The draft was saved." in _status(provider)
    assert _count(provider) == before - 1


def test_a_peer_reviewer_clears_an_assignment(demo, people):  # noqa: F811
    manager, reviewer = _user("bja.manager"), _user("bja.reviewer2")
    application = flow.submit(demo, _user("police.admin"), _user("bh.admin"))
    flow.to_peer_review(application, manager)
    grants.reviewer_assign(application=application, reviewer=reviewer, actor=manager)
    page = people("bja.reviewer2")
    page.goto("/")
    before = _count(page)
    assert before >= 1
    _from_email(page, reviewer, f"Declare any conflict of interest, then score “{application.case.title}”")
    # USWDS hides the radio input itself; a person clicks its visible label.
    page.locator("label", has_text="I have a conflict of interest and recuse myself").click()
    _click(page, "Declare")
    assert _count(page) == before - 1
    assert application.case.title not in page.goto("/queue/").text()


def test_a_learning_site_acknowledges_and_matches_a_request(demo, people):  # noqa: F811
    partnerships_demo_load()
    request = TARequest.objects.get(case__stage="received")
    page = people("sheriff.ta")
    page.goto("/")
    before = _count(page)
    coordinator = _user("sheriff.ta")
    _from_email(page, coordinator, f"Acknowledge the TA request: {request.case.title}")
    assert_accessible(page)
    _click(page, "Acknowledge")
    assert _count(page) == before  # The match is now waiting on the same people.
    page.goto("/queue/")
    page.get_by_role("link", name=f"Match the TA request with a Learning Site: {request.case.title}").click()
    page.wait_for_load_state()
    page.get_by_role("combobox", name="Learning Site").select_option(label=request.case.participations.filter(
        organization__is_learning_site=True).first().organization.name)  # fmt: skip
    _click(page, "Match")
    assert _count(page) == before - 1
