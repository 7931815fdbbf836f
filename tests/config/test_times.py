"""Moments are written in the reader's zone with the zone named; the checker that pages and emails do so."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from config.times import export_header, export_moment, moment_text
from tests.helpers import iso_dates_shown, times_without_zone

RECEIVED = datetime(2027, 3, 5, 15, 0, tzinfo=UTC)  # 10:00 in New York (EST)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("America/New_York", "Mar 5, 2027, 10:00 AM EST"),
        ("America/Los_Angeles", "Mar 5, 2027, 7:00 AM PST"),
        ("Pacific/Honolulu", "Mar 5, 2027, 5:00 AM HST"),
        ("America/Puerto_Rico", "Mar 5, 2027, 11:00 AM AST"),
        ("Pacific/Guam", "Mar 6, 2027, 1:00 AM ChST"),
        ("America/Sao_Paulo", "Mar 5, 2027, 12:00 PM UTC-03"),
    ],
)
def test_a_moment_is_written_in_the_zone_with_its_name(zone, expected):
    assert moment_text(RECEIVED, zone) == expected
    with timezone.override(zone):
        assert Template("{{ moment|when }}").render(Context({"moment": RECEIVED})) == expected


def test_daylight_saving_changes_the_name_not_the_wall_clock():
    assert moment_text(datetime(2027, 3, 19, 14, 0, tzinfo=UTC), "America/New_York") == "Mar 19, 2027, 10:00 AM EDT"


def test_nothing_is_written_for_no_moment():
    assert moment_text(None) == ""
    assert Template("{{ moment|when }}").render(Context({"moment": None})) == ""


def test_an_export_cell_is_the_wall_clock_of_the_active_zone_and_its_header_names_the_zone():
    with timezone.override("America/Chicago"):
        assert export_moment(RECEIVED) == datetime(2027, 3, 5, 9, 0)
        assert export_header("Submitted") == "Submitted (America/Chicago)"
    assert export_moment(None) is None


@pytest.mark.parametrize(
    "html",
    [
        "<p>Uploaded <time datetime='2027-03-05T10:00:00-05:00'>Mar 5, 2027, 10:00 AM</time></p>",
        "<td>Received Mar 5, 2027 10:00 a.m.</td>",
        "<li>Signed at 14:30.</li>",
        "<p>2027-03-05 10:00:00</p>",
        "<p>due Mar 5, 2027, 9:15 PM and more</p>",
    ],
)
def test_the_checker_finds_times_without_a_zone(html):
    assert len(times_without_zone(html)) == 1


@pytest.mark.parametrize(
    "html",
    [
        "<p>Uploaded <time datetime='2027-03-05T10:00:00-05:00'>Mar 5, 2027, 10:00 AM EST</time></p>",
        "<p>Mar 6, 2027, 1:00 AM ChST; Mar 5, 2027, 12:00 PM UTC-03; 2026-12-02 10:00:00 UTC</p>",
        "<p>Due Mar 5, 2027 (a date, no time). Scores 3:1 and 85%.</p>",
        "<script>var t = '10:00';</script><textarea>Meet at 10:00</textarea><input value='10:00'>",
    ],
)
def test_the_checker_accepts_named_zones_dates_and_what_a_reader_does_not_see(html):
    assert times_without_zone(html) == []


def test_machine_dates_in_text_are_found():
    assert iso_dates_shown("<p>Due 2026-12-02.</p><time datetime='2026-12-03'>Dec 3, 2026</time>") == ["2026-12-02"]


def test_the_time_zone_name_follows_the_reader():
    moment = datetime(2027, 7, 1, 16, 0, tzinfo=ZoneInfo("UTC"))
    with timezone.override("America/Phoenix"):
        assert moment_text(moment) == "Jul 1, 2027, 9:00 AM MST"
