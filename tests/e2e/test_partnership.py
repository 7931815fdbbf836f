"""The partnership and TA story in a real browser, each person in their own browser context.

The police department opens a partnership with the behavioral health provider; both sign an MOU; each runs
its assessment; a "no" becomes a milestone; the planning milestones are approved and the partnership moves to
implementing. A TA request is filed, matched to the Learning Site, delivered as a training with attendees, and
appears in the annual report.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps

from accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD, demo_load
from partnerships.migrations.frozen import checklists_v1
from partnerships.models import Assessment, AssessmentAnswer, Partnership, TADelivery, TARequest
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_login import assert_accessible, sign_in
from tests.factories import organization_today
from workflow.models import Milestone

pytestmark = pytest.mark.browser

PD, BH, SHERIFF = "Springfield Police Department", "Prairie Behavioral Health Center", "Madison County Sheriff's Office"
TITLE = "Springfield co-responder partnership"
GAP_ITEM = 10  # "Data is collected on injuries, repeat calls, dispositions, linkages and transfer times."


@pytest.fixture
def demo(transactional_db):
    # The live server's database is flushed between tests: publish the checklists again, then the demo accounts
    # (only the accounts: the story below builds its own partnership and TA request).
    checklists_v1.publish(apps)
    demo_load()


@pytest.fixture
def person(browser, live_server, demo):
    """person("police.admin") is a page in a fresh browser context, signed in through the login form."""
    contexts = []

    def open_as(local_part: str):
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.broken_responses = []
        page.on("response", lambda r: r.status >= 400 and page.broken_responses.append(f"{r.status} {r.url}"))
        sign_in(page, f"{local_part}@{DEMO_DOMAIN}", DEMO_PASSWORD)
        assert page.get_by_role("button", name="Sign out").is_visible()
        return page

    yield open_as
    for context in contexts:
        context.close()


def submit(page, button: str) -> None:
    """Press the button whose accessible name starts with `button` (screen-reader-only text may follow)."""
    page.get_by_role("button", name=re.compile("^" + re.escape(button))).first.click()
    page.wait_for_load_state()


def status_text(page) -> str:
    return page.get_by_role("status").first.inner_text()


def open_partnership(page) -> None:
    page.get_by_role("navigation", name="Primary").get_by_role("link", name="Partnerships").click()
    page.get_by_role("link", name=TITLE).click()
    assert page.get_by_role("heading", level=1).inner_text() == TITLE


def run_assessment(page, organization: str, answers: dict[int, str]) -> None:
    """From the partnership page: start the member's assessment, save a draft half-way, answer the rest, submit."""
    page.get_by_role("button", name=f"Start the assessment for {organization}").click()
    page.wait_for_load_state()
    items = page.locator(".app-assessment__item")
    count = items.count()
    for position in range(count):
        item = items.nth(position)
        item.locator("label.usa-radio__label", has_text=answers.get(position + 1, "Yes")).first.click()
        if position == count // 2:
            submit(page, "Save draft")
            assert "still a draft" in status_text(page)
            items = page.locator(".app-assessment__item")
    submit(page, "Submit")
    assert "submitted and is now locked" in status_text(page)


def test_partnership_from_first_contact_to_implementing_and_ta_to_the_annual_report(person):
    police = person("police.admin")

    # The police department opens the partnership with the behavioral health provider.
    police.get_by_role("navigation", name="Primary").get_by_role("link", name="Partnerships").click()
    police.get_by_role("link", name="Open a partnership").click()
    police.get_by_label("Title").fill(TITLE)
    police.locator("label.usa-checkbox__label", has_text=BH).click()
    police.get_by_role("textbox", name=re.compile("^Jurisdiction")).fill("City of Springfield")
    police.locator("label.usa-checkbox__label", has_text="Co-responder team").click()
    submit(police, "Open the partnership")
    assert f"“{TITLE}” is open, in Exploring." in status_text(police)
    assert_accessible(police)
    partnership = Partnership.objects.get(case__title=TITLE)
    partnership_url = f"/partnerships/{partnership.pk}/"

    submit(police, "Start planning")
    assert "The case moved to Planning." in status_text(police)
    police.goto(partnership_url)

    # Both sign an MOU.
    police.get_by_role("link", name="Record an agreement").click()
    assert "never client names, diagnoses" in police.locator("main").inner_text()
    police.get_by_label("Kind of agreement").select_option("mou")
    police.get_by_label("Title").fill("Co-responder MOU")
    police.locator("label.usa-checkbox__label", has_text=PD).click()
    police.locator("label.usa-checkbox__label", has_text=BH).click()
    police.get_by_label("Effective date").fill(organization_today().isoformat())
    submit(police, "Record the agreement")
    assert "each party now signs it" in status_text(police)
    submit(police, f"Sign for {PD}")
    assert f"{PD} signed “Co-responder MOU”." in status_text(police)

    clinic = person("bh.admin")
    open_partnership(clinic)
    agreement = clinic.locator(".app-agreement", has_text="Co-responder MOU")
    assert "Awaiting signatures" in agreement.inner_text()
    submit(clinic, f"Sign for {BH}")
    assert "In force" in clinic.locator(".app-agreement", has_text="Co-responder MOU").inner_text()

    # Each runs its assessment; the police department answers "no" to one item.
    police.goto(partnership_url)
    run_assessment(police, PD, {GAP_ITEM: "No"})
    assert_accessible(police)
    clinic.goto(partnership_url)
    run_assessment(clinic, BH, {})
    assert Assessment.objects.filter(partnership=partnership, status="submitted").count() == 2

    # The "no" becomes a milestone on the partnership, linked to its item.
    police.goto(partnership_url)
    police.get_by_role("link", name=re.compile("Law enforcement leader assessment, submitted")).click()
    assert "Overall:" in police.locator("main").inner_text()
    police.locator(f"#item-{GAP_ITEM}").get_by_role("button", name=re.compile("^Make it a milestone")).click()
    assert "is now a milestone on the partnership" in status_text(police)
    gap = AssessmentAnswer.objects.get(assessment__organization__name=PD, item__order=GAP_ITEM)
    assert gap.milestone.case_id == partnership.case_id and gap.milestone.item_id == gap.item_id

    # Planning is done: the police department submits each planning milestone, the provider approves it.
    planning = list(Milestone.objects.filter(case=partnership.case, template__key="pmhc-planning").order_by("order"))
    police.goto(partnership_url)
    for milestone in planning:
        police.locator(f"#milestone-{milestone.pk}").get_by_role("button", name="Submit for approval").click()
        police.wait_for_load_state()
    clinic.goto(partnership_url)
    for milestone in planning:
        clinic.locator(f"#milestone-{milestone.pk}").get_by_role("button", name="Approve").click()
        clinic.wait_for_load_state()
    assert clinic.get_by_role("progressbar", name="6 of 6 approved").is_visible()

    # The partnership moves to implementing.
    police.goto(partnership_url)
    assert_accessible(police)
    submit(police, "Start implementing")
    assert "The case moved to Implementing." in status_text(police)
    partnership.case.refresh_from_db()
    assert partnership.case.stage == "implementing"

    # A TA request is filed with the Learning Site.
    police.get_by_role("navigation", name="Primary").get_by_role("link", name="Technical assistance").click()
    police.get_by_role("link", name="Request technical assistance").click()
    police.get_by_label("Topic").select_option("cit_training")
    police.get_by_label("Preferred delivery").select_option("training")
    police.get_by_label("Preferred Learning Site").select_option(label=SHERIFF)
    police.get_by_label("Description").fill("A 40-hour CIT course for the co-responder pilot's officers.")
    submit(police, "Send the request")
    assert "It will be acknowledged by" in status_text(police)
    ta = TARequest.objects.get()

    # The Learning Site's coordinator acknowledges it, matches it to the site and delivers a training.
    site = person("sheriff.ta")
    queue = site.get_by_role("region", name="TA queue")
    queue.get_by_role("link", name=ta.case.title).click()
    assert_accessible(site)
    submit(site, "Acknowledge")
    assert "The case moved to Acknowledged." in status_text(site)
    site.goto(f"/ta/{ta.pk}/")
    site.get_by_role("combobox", name=re.compile("^Learning Site")).select_option(label=SHERIFF)
    submit(site, "Match")
    assert f"Matched with {SHERIFF}." in status_text(site)
    site.get_by_label("Type").select_option("training")
    site.get_by_label("Attendees").fill("24")
    site.get_by_label("Hours").fill("8")
    submit(site, "Record the delivery")
    assert "was recorded" in status_text(site)
    assert "Delivered" in site.locator(".usa-step-indicator__segment--current").inner_text()
    delivery = TADelivery.objects.get()
    assert (delivery.attendees, delivery.delivery_type, delivery.site.name) == (24, "training", SHERIFF)

    # It appears in the annual report.
    site.goto("/ta/")
    site.get_by_role("link", name="Annual report").click()
    row = site.locator("#report-table tbody tr", has_text=SHERIFF)
    assert row.locator("td").all_inner_texts()[:4] == ["1", "0", "1", "24"]
    total = site.locator("#report-table tfoot tr").locator("td").all_inner_texts()
    assert total[:4] == ["1", "0", "1", "24"]
    assert site.locator("svg[role=img]").count() == 1
    assert_accessible(site)
    with site.expect_download() as download:
        site.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename == f"ta-report-{organization_today().year}.csv"
    assert police.broken_responses == clinic.broken_responses == site.broken_responses == []
