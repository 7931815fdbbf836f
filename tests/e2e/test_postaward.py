"""The post-award story in a real browser, continuing the pre-award one with the demo users.

The application is awarded through the services (the pre-award story drives that part in the browser);
then the Authorized Representative accepts the award, the behavioral health partner drafts the first
quarterly report, the police department approves and submits it, BJA approves it, and a no-cost extension
moves the schedule.
"""

from __future__ import annotations

from datetime import date

import pytest

from accounts.demo import DEMO_DOMAIN
from accounts.models import User
from grants.models import Award, ReportKind
from tests.e2e.test_login import assert_accessible
from tests.e2e.test_preaward import _click, _status, demo, people  # noqa: F401  (fixtures)
from tests.grants import flow

pytestmark = pytest.mark.browser


def _user(local_part: str) -> User:
    return User.objects.get(email=f"{local_part}@{DEMO_DOMAIN}")


@pytest.fixture
def award(demo):  # noqa: F811
    police, provider, manager = _user("police.admin"), _user("bh.admin"), _user("bja.manager")
    application = flow.submit(demo, police, provider)
    flow.to_peer_review(application, manager)
    flow.review(application, manager, _user("bja.reviewer1"))
    flow.to_decision(application, manager)
    flow.award(application, manager)
    return Award.objects.get(application=application)


def test_accept_report_and_extend(award, people):  # noqa: F811
    police = people("police.admin")
    police.goto(award.get_absolute_url())
    assert "45 days left" in police.locator("#acceptance").inner_text()
    assert_accessible(police)
    _click(police, "Accept the award")
    assert "You accepted the award." in _status(police)
    assert "Planning phase" in police.locator(".app-summary").first.inner_text()

    first = award.reports.filter(kind=ReportKind.PERFORMANCE).order_by("due_date").first()
    title = first.milestone.title
    provider = people("bh.member")
    provider.goto(award.get_absolute_url())
    provider.get_by_role("link", name=title).click()
    provider.wait_for_load_state()
    provider.get_by_label("Report").fill("Calls diverted: 42. Co-responder hours: 310.")
    _click(provider, "Save the draft")
    assert "The draft was saved." in _status(provider)
    assert "waiting for the lead agency" in provider.locator("#report-status").inner_text()
    assert_accessible(provider)

    police.goto(first.award.get_absolute_url())
    police.get_by_role("link", name=title).click()
    police.wait_for_load_state()
    _click(police, "Approve and submit to BJA")
    assert "submitted to BJA" in _status(police)

    manager = people("bja.manager")
    manager.goto(police.url)
    assert "waiting for BJA" in manager.locator("#report-status").inner_text()
    _click(manager, "Approve the report")
    assert "You approved the report." in _status(manager)
    assert manager.locator("#report-status").inner_text() == "Approved by BJA"

    police.goto(award.get_absolute_url())
    police.get_by_label("Kind of modification").select_option(label="No-cost extension")
    police.get_by_label("What changes and why").fill("Clinician hiring took six months longer than planned.")
    police.get_by_label("New end date (no-cost extension)").fill("2031-03-31")
    _click(police, "Submit the modification")
    assert "The modification was submitted." in _status(police)

    manager.goto(award.get_absolute_url())
    old_final_due = award.closeout_due
    _click(manager, "Approve the modification")
    assert "The modification was approved." in _status(manager)
    period = manager.locator("#award-period").inner_text()
    assert "Mar 31, 2031" in period and "extended from" in period
    reports = manager.locator("#reports").inner_text()
    assert "Jul 29, 2031" in reports and old_final_due.strftime("%b %-d, %Y") not in reports  # 120 days after.
    award.refresh_from_db()
    assert award.end == date(2031, 3, 31)
    assert_accessible(manager)
