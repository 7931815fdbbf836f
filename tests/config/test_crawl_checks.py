"""The crawler's checks find what they are meant to find (tests/crawl.py), so a green crawl means something."""

from __future__ import annotations

from tests.crawl import id_problems, page_read, route_of, same_origin_path, template_syntax, times_without_zone

PAGE = """
<html><head><title>Award</title><script>var x = "{{ not text }}";</script></head><body>
<p>{# What the user can do next #}</p>
<label for="id_title">Title</label><input id="id_title" name="title" value="A">
<label for="missing">Nothing</label><span id="id_title"></span>
<p>Uploaded Dec 2, 2026 12:20 AM by Dana. Signed Dec 2, 2026 1:05 p.m. CST. Due 11:59 PM EDT. Calls: 38.</p>
<form method="post" action="/cases/3/milestones/9/submit/">
  <input type="hidden" name="expected_version" value="4">
  <input type="checkbox" name="notify" value="yes">
  <input type="checkbox" name="keep" checked>
  <select name="kind"><option value="">---------</option><option value="scope">Scope</option></select>
  <textarea name="note">
Evidence</textarea>
  <button type="submit">Approve<span class="usa-sr-only"> the report</span></button>
  <button type="submit" formaction="/cases/3/milestones/9/request-changes/" name="decision" value="back">Back</button>
  <button type="submit" disabled>Not yet</button>
</form>
<a href="/grants/awards/3/#reports">award</a><a href="https://example.org/">out</a><a href="/api/v1/cases/">api</a>
</body></html>
"""


def test_the_checks_find_template_syntax_duplicate_ids_stray_labels_and_times_without_zone():
    page = page_read("/grants/awards/3/", PAGE)
    assert [problem.split(" in ")[0] for problem in template_syntax(page)] == ["'{#'", "'#}'"], "not the script's"
    assert id_problems(page) == ["id “id_title” is used 2 times", "<label for=“missing”> points at no element"]
    times = times_without_zone(page)
    assert len(times) == 1 and "12:20 AM" in times[0]


def test_forms_are_sent_as_a_browser_sends_them_one_submission_per_enabled_button():
    page = page_read("/grants/awards/3/", PAGE)
    sends = page.forms[0].submitters(page.url)
    assert [(send.action, send.label, send.pressed) for send in sends] == [
        ("/cases/3/milestones/9/submit/", "Approve the report", ("", "")),
        ("/cases/3/milestones/9/request-changes/", "Back", ("decision", "back")),
    ], "the disabled button is not pressed"
    assert sends[0].data == {"expected_version": ["4"], "keep": ["on"], "kind": [""], "note": ["Evidence"]}
    assert sends[1].data["decision"] == ["back"]


def test_links_are_walked_only_on_the_site_and_a_few_per_url_pattern():
    page = page_read("/grants/awards/3/", PAGE)
    walked = [same_origin_path(page.url, href) for href in page.links]
    assert walked == ["/grants/awards/3/", None, None]
    assert route_of("/grants/awards/3/") == route_of("/grants/awards/4/") == "grants/awards/<int:award_id>/"
    assert route_of("/tasks/?page=2&status=open") == "tasks/?page&status"
