"""The case list and case page in a real browser: stage bar, progress, a milestone form, and axe-core."""

from __future__ import annotations

import pytest

from accounts.models import OrganizationKind
from tests import factories
from tests.e2e.test_login import assert_accessible, assert_styled, sign_in
from tests.factories import TEST_PASSWORD
from tests.workflow import machines
from workflow import checklists, services
from workflow.models import Milestone, MilestoneStatus, ParticipantRole

pytestmark = pytest.mark.browser


@pytest.fixture
def sample_case(organization, admin):
    """A draft case with the preparation checklist (live_server's database is transactional: made here)."""
    partner = factories.OrganizationFactory(name="Prairie Behavioral Health", kind=OrganizationKind.BEHAVIORAL_HEALTH)
    case = services.case_create(
        kind=machines.KIND,
        title="Springfield co-responder program",
        organization=organization,
        actor=admin,
        participants={partner: ParticipantRole.CO_APPLICANT},
    )
    template = checklists.checklist_template_publish(key="prep", title="Preparation", items=machines.PREP_ITEMS)
    checklists.checklist_instantiate(case=case, template=template, actor=admin)
    return case


def test_lead_admin_submits_a_milestone_from_the_case_page(page, admin, sample_case):
    narrative = Milestone.objects.get(case=sample_case, title="Program narrative drafted")
    sign_in(page, admin.email, TEST_PASSWORD)

    page.get_by_role("navigation", name="Primary").get_by_role("link", name="Cases").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Cases"
    assert_accessible(page)

    page.get_by_role("link", name=sample_case.title).click()
    assert page.get_by_role("heading", level=1).inner_text() == sample_case.title
    current = page.locator(".usa-step-indicator__segment--current")
    assert current.get_attribute("aria-current") == "step" and "Draft" in current.inner_text()
    progress = page.get_by_role("progressbar", name="0 of 4 approved")
    assert progress.get_attribute("max") == "4" and progress.get_attribute("value") == "0"
    assert page.get_by_role("button", name="Submit", exact=True).is_disabled()
    assert_styled(page)
    assert_accessible(page)

    item = page.locator(f"#milestone-{narrative.pk}")
    assert "due in 14 days" in item.inner_text()
    item.get_by_label("What was done").fill("Drafted with the clinic")
    item.get_by_role("button", name="Submit for approval").click()
    page.wait_for_load_state()

    assert "“Program narrative drafted” was submitted for approval." in page.get_by_role("status").inner_text()
    item = page.locator(f"#milestone-{narrative.pk}")
    assert "Submitted" in item.locator(".app-status").inner_text()
    assert "You submitted this milestone; someone else must review it." in item.inner_text()
    timeline = page.get_by_role("region", name="Timeline").inner_text()
    assert "Ada Admin submitted “Program narrative drafted” for approval — Drafted with the clinic" in timeline
    narrative.refresh_from_db()
    assert narrative.status == MilestoneStatus.SUBMITTED and narrative.note == "Drafted with the clinic"
    assert page.broken_responses == []
    assert_accessible(page)
