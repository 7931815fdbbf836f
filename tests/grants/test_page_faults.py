"""Faults a walk through the grant pages found (issue #16): each test reads what the page says."""

import csv
import io
import re
from html import unescape

from django.test import Client

from tests.grants import award_flow


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_text(response) -> str:
    body = re.sub(r"<script.*?</script>", "", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


def test_next_report_is_shown_while_reports_are_owed_even_months_ahead(award, admin, grant_manager):
    accepted = award_flow.accept(award, admin)
    first = accepted.reports.exclude(kind="planning").order_by("due_date").first()
    due = f"{first.due_date:%b} {first.due_date.day}, {first.due_date.year}"
    assert due in page_text(page_client(grant_manager).get("/grants/awards/"))
    dashboard = page_text(page_client(admin).get("/"))
    assert first.milestone.title in dashboard
    rows = list(
        csv.reader(io.StringIO(page_client(grant_manager).get("/grants/awards/export/awards.csv").content.decode()))
    )
    header, row = rows[0], rows[1]
    assert row[header.index("Next due")] == str(first.due_date)


def test_saving_the_application_unchanged_keeps_the_partners_signature(application, admin, bh_admin, bh_org):
    from grants.selectors import signoffs_current
    from tests.grants import flow

    flow.fill(application, admin)
    flow.attach_required(application, admin)
    flow.sign(application, bh_admin)
    application = flow.fresh(application)
    same = {
        "title": application.case.title,
        "category": application.category_id,
        "abstract": application.abstract,
        "amount_requested": str(application.amount_requested),
        "project_start": str(application.project_start),
        "project_end": str(application.project_end),
    }
    response = page_client(admin).post(f"/grants/applications/{application.pk}/details/", same, follow=True)
    assert "Nothing changed" in page_text(response)
    application = flow.fresh(application)
    assert [s.organization_id for s in signoffs_current(application=application)] == [bh_org.id]
    changed = same | {"abstract": "A new abstract."}
    page_client(admin).post(f"/grants/applications/{application.pk}/details/", changed)
    assert signoffs_current(application=flow.fresh(application)) == []


def test_reviewer_progress_counts_the_declaration_of_a_reviewer_who_submitted(in_peer_review, grant_manager, reviewer):
    from tests.grants import flow

    flow.review(in_peer_review, grant_manager, reviewer)
    solicitation = in_peer_review.solicitation_id
    page = page_client(grant_manager).get(f"/grants/solicitations/{solicitation}/reviewers/").content.decode()
    row = re.search(r'data-label="No conflict declared">(\d+)<', page)
    assert row.group(1) == "1"
    export = page_client(grant_manager).get(f"/grants/solicitations/{solicitation}/export/reviewers.csv")
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[1][3] == "1", rows
