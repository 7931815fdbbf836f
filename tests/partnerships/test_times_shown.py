"""Partnership and TA pages show every time in the reader's zone with the zone named, and chart dates in it."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from tests.helpers import times_without_zone

from .steps import sign_mou, submit_assessment
from .test_pages import browser


def _in_zone(user, zone: str):
    user.time_zone = zone
    user.save(update_fields=["time_zone"])
    return browser(user)


def test_ta_pages_name_the_zone_of_every_time(ta_request, member, coordinator):
    for user, zone, name in ((member, "America/Los_Angeles", "PST"), (coordinator, "Pacific/Honolulu", "HST")):
        client = _in_zone(user, zone)
        for url in ("/ta/", f"/ta/{ta_request.id}/"):
            html = client.get(url).content.decode()
            assert times_without_zone(html) == [], url
            assert f" {name}" in html or url == "/ta/", url
    received = browser(member).get("/ta/").content.decode()
    assert "Received" in received and times_without_zone(received) == []


def test_the_trend_chart_dates_an_assessment_on_the_readers_day_not_the_utc_one(
    partnership, admin, organization, bh_org, bh_admin, member
):
    sign_mou(partnership, admin, bh_admin, organization, bh_org)
    # 03:00 UTC on March 6 is still March 5 in Los Angeles.
    with time_machine.travel(datetime(2027, 3, 6, 3, 0, tzinfo=UTC), tick=False):
        submit_assessment(partnership, organization, admin, item_1="no")
    with time_machine.travel(datetime(2027, 3, 20, 18, 0, tzinfo=UTC), tick=False):
        submit_assessment(partnership, organization, admin)
        html = _in_zone(member, "America/Los_Angeles").get(f"/partnerships/{partnership.id}/").content.decode()
    assert "on Mar 5, 2027" in html and "on Mar 6, 2027" not in html
    assert times_without_zone(html) == []
