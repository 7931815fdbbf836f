"""The pre-award story in a real browser, with the demo users, each in their own browser context:

the police department and the behavioral health provider finish their joint application and both admins
sign it; it is submitted; BJA finds it complete; two peer reviewers score it without seeing each other's
scores first; the grant manager reads the ranked list and fires "award".
"""

from __future__ import annotations

import re

import pytest

from accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD, demo_load
from grants.demo import demo_pdf
from grants.demo import load as grants_demo_load
from grants.models import Application
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_login import assert_accessible, sign_in

pytestmark = pytest.mark.browser

SCORES = {  # Criterion -> (Victor's score, Grace's score).
    "Description of the issue": ("18", "16"),
    "Project design and implementation": ("31", "27"),
    "Capabilities and competencies": ("22", "20"),
    "Plan for collecting performance data": ("9", "7"),
    "Budget": ("9", "8"),
}


@pytest.fixture
def demo(settings, tmp_path, live_server):
    settings.MEDIA_ROOT = tmp_path
    demo_load()
    grants_demo_load()
    return Application.objects.get()


@pytest.fixture
def people(browser, live_server):
    """One signed-in browser context per demo user, opened on first use."""
    contexts, pages = [], {}

    def as_user(local_part: str):
        if local_part not in pages:
            context = browser.new_context(base_url=live_server.url)
            context.set_default_timeout(TIMEOUT_MS)
            contexts.append(context)
            page = context.new_page()
            page.broken_responses = []
            page.on("response", lambda r: r.status >= 500 and page.broken_responses.append(f"{r.status} {r.url}"))
            sign_in(page, f"{local_part}@{DEMO_DOMAIN}", DEMO_PASSWORD)
            pages[local_part] = page
        return pages[local_part]

    yield as_user
    for page in pages.values():
        assert page.broken_responses == []
    for context in contexts:
        context.close()


def _click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def _status(page) -> str:
    return page.get_by_role("status").first.inner_text()


def _stage(page) -> str:
    return page.locator(".usa-step-indicator__heading-text").inner_text().strip()


def _attach(page, kind: str, name: str) -> None:
    form = page.locator("form").filter(has=page.get_by_role("button", name="Attach"))
    form.get_by_label("Which document").select_option(label=kind)
    form.get_by_label("File").set_input_files({"name": name, "mimeType": "application/pdf", "buffer": demo_pdf(name)})
    _click(page, "Attach")
    assert f"“{name}” was attached." in _status(page)


def _open_application(page, title: str) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Primary").get_by_role("link", name="Grants").click()
    page.get_by_role("link", name=title).first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == title


def _score(page, column: int) -> None:
    for criterion, scores in SCORES.items():
        page.get_by_label(re.compile(rf"^{re.escape(criterion)}: score")).fill(scores[column])
        page.get_by_label(f"{criterion}: comment").fill(f"{criterion}: clear and specific.")
    page.get_by_label("Overall comment").fill("A well-planned joint program.")
    _click(page, "Submit my review")


def _choose(page, label: str) -> None:
    """USWDS draws radios on their labels (the input itself is off-screen): click the label, as a person does."""
    page.locator("label", has_text=label).click()
    assert page.get_by_label(label).is_checked()


def _declare(page) -> None:
    _choose(page, "I have no conflict of interest with the applicants")
    _click(page, "Declare")
    assert "You declared no conflict of interest" in _status(page)


def test_joint_application_from_draft_to_award(demo, people):
    title = demo.case.title
    police = people("police.admin")
    _open_application(police, title)
    assert "9 of 13 requirements met" in police.locator("#checklist").inner_text()
    _attach(police, "Letters of support", "Letters of support.pdf")

    provider = people("bh.admin")
    _open_application(provider, title)
    _attach(provider, "MOU or letter of intent", "Signed MOU.pdf")
    _click(provider, "Sign for Prairie Behavioral Health Center")
    assert "You signed the application for Prairie Behavioral Health Center." in _status(provider)

    police.reload()
    _click(police, "Sign for Springfield Police Department")
    _click(police, "Record the Grants.gov step")
    assert "13 of 13 requirements met" in police.locator("#checklist").inner_text()
    assert_accessible(police)
    _click(police, "Submit in JustGrants")
    assert "submitted in JustGrants" in _status(police) and _stage(police) == "Submitted"

    manager = people("bja.manager")
    _open_application(manager, title)
    _click(manager, "Start the completeness review")
    _choose(manager, "Complete: meets the basic minimum requirements")
    _click(manager, "Record the completeness finding")
    assert _stage(manager) == "Peer review"
    for reviewer in ("Victor Chen", "Grace Adeyemi"):
        manager.get_by_role("combobox", name="Peer reviewer").select_option(label=reviewer)
        _click(manager, "Assign")
        assert f"{reviewer} is assigned" in _status(manager)

    victor = people("bja.reviewer1")
    victor.goto("/grants/reviews/")
    assignment = victor.get_by_role("row").filter(has_text=title).inner_text()
    assert "Assigned: conflict of interest not declared yet" in assignment and "due in 14 days" in assignment
    assert_accessible(victor)
    _open_application(victor, title)
    _declare(victor)
    _score(victor, 0)
    assert "Your review was submitted: 89.00 of 100." in _status(victor)

    grace = people("bja.reviewer2")
    _open_application(grace, title)
    _declare(grace)
    review = grace.locator("#peer-review").inner_text()
    assert "Victor Chen" not in review and "89.00" not in review  # Not before submitting her own.
    assert "hidden until you submit your own" in review
    assert_accessible(grace)
    _score(grace, 1)
    review = grace.locator("#peer-review").inner_text()
    # Victor's scores, but never his name: peer reviewers stay anonymous to one another.
    assert "Victor Chen" not in review and "89.00 of 100" in review and "78.00 of 100" in review

    manager.reload()
    assert "Weighted average\n83.50 of 100" in manager.locator("#peer-review").inner_text()
    _click(manager, "Close the peer review")
    _click(manager, "Complete the financial review")
    assert _stage(manager) == "Decision"
    manager.get_by_role("link", name=demo.solicitation.title, exact=False).first.click()
    manager.wait_for_load_state()
    assert manager.get_by_role("img", name="Applications by stage").is_visible()
    assert "Decision: 1" in manager.locator("figcaption").first.inner_text()
    assert_accessible(manager)
    manager.get_by_role("link", name="Ranked list").click()
    manager.wait_for_load_state()
    first = manager.get_by_role("row").nth(1).inner_text()
    assert first.startswith("1") and title in first and "83.50" in first and "11.00" in first
    assert_accessible(manager)
    manager.get_by_role("link", name=title).click()
    manager.wait_for_load_state()
    assert manager.get_by_label("Award amount ($)").input_value() == "540000.00"
    manager.get_by_label("Award conditions").fill("Budget clearance before drawdown.")
    _click(manager, "Award")
    assert "Awarded: $540,000.00." in _status(manager)
    assert "Awarded" in manager.locator(".app-summary").first.inner_text()

    police.goto("/")
    assert "Awarded" in police.locator("#grants-dashboard-heading + h3 + table").inner_text()
    assert_accessible(police)
    police.goto(demo.get_absolute_url())
    decision = police.locator("#decision").inner_text()
    assert "Awarded" in decision and "$540,000.00" in decision and "Budget clearance before drawdown." in decision
    assert "Victor Chen" not in police.content()  # Peer reviewers stay anonymous to the applicants.
