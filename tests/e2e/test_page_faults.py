"""Page faults of issue #16 that only a browser shows: sideways scrolling on a phone, the copy button."""

from __future__ import annotations

import pytest

from accounts.models import OrganizationKind, Role
from partnerships.choices import MemberRole
from partnerships.services.partnerships import partnership_create
from tests import factories
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_login import sign_in
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _signed_in(browser, live_server, user, **context_options):
    context = browser.new_context(base_url=live_server.url, **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    sign_in(page, user.email, TEST_PASSWORD)
    return context, page


def test_the_partnership_page_does_not_scroll_sideways_on_a_390_px_phone(browser, live_server, transactional_db):
    police = factories.OrganizationFactory(name="Springfield Police Department", kind=OrganizationKind.LAW_ENFORCEMENT)
    clinic = factories.OrganizationFactory(
        name="Prairie Behavioral Health Center", kind=OrganizationKind.BEHAVIORAL_HEALTH
    )
    member = factories.member_of(police, Role.MEMBER, full_name="Max Member")
    partnership = partnership_create(
        actor=member,
        lead=police,
        title="Springfield co-responder partnership with a rather long descriptive title for small screens",
        members=[(clinic, MemberRole.BEHAVIORAL_HEALTH)],
        jurisdiction="City of Springfield and the unincorporated parts of Sangamon County",
        response_models=["co_responder", "cit"],
        population_served="City residents (114,000)",
    )
    context, page = _signed_in(browser, live_server, member, viewport=PHONE)
    page.goto(f"/partnerships/{partnership.pk}/")
    page.wait_for_load_state()
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 391)
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide
    context.close()


def test_the_calendar_address_is_shown_whole_and_the_copy_button_copies_it(browser, live_server, transactional_db):
    police = factories.OrganizationFactory(name="Springfield Police Department", kind=OrganizationKind.LAW_ENFORCEMENT)
    member = factories.member_of(police, Role.MEMBER, full_name="Max Member")
    context, page = _signed_in(browser, live_server, member, permissions=["clipboard-read", "clipboard-write"])
    page.goto("/calendar/")
    page.get_by_role("button", name="Make a calendar address").click()
    page.wait_for_load_state()
    address = page.locator("#new-feed-url")
    url = address.input_value()
    assert url.startswith(live_server.url)
    # Whole: the box is as tall as its text (nothing scrolled out of sight).
    assert address.evaluate("e => e.scrollHeight <= e.clientHeight + 1 && e.scrollWidth <= e.clientWidth + 1")
    page.get_by_role("button", name="Copy the address").click()
    page.get_by_text("Copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == url
    context.close()
