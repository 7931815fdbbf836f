"""A person picks their time zone on the profile page, in a real browser, and the pages follow it."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.factories import TEST_PASSWORD
from tests.helpers import times_without_zone

from .test_login import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_a_partner_in_los_angeles_picks_their_zone_from_the_header_link(page, member):
    sign_in(page, member.email, TEST_PASSWORD)
    page.locator(".app-nav__user").click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == "/accounts/profile/"
    assert_accessible(page)

    zone = page.get_by_role("combobox", name="Time zone")
    assert zone.locator("option").nth(0).inner_text() == "Eastern Time (New York)"
    zone.select_option("America/Los_Angeles")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()

    assert "Times are now shown in Pacific Time (Los Angeles)." in page.get_by_role("main").inner_text()
    assert times_without_zone(page.content()) == []
    member.refresh_from_db()
    assert (member.time_zone, member.time_zone_chosen) == ("America/Los_Angeles", True)
