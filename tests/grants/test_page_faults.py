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


def test_award_page_words_acceptance_closeout_and_implementation(award, admin, member, bh_member, grant_manager):
    from grants.awards import services
    from grants.models import ReportKind
    from grants.reporting import closeout_opens
    from workflow.services import case_transition

    offered = page_text(page_client(admin).get(f"/grants/awards/{award.pk}/"))
    assert "Accept the award" in offered
    assert "Nothing can be done by you" not in offered
    award = award_flow.accept(award, admin)
    opens = closeout_opens(award.end)
    page = page_text(page_client(admin).get(f"/grants/awards/{award.pk}/"))
    assert f"Closeout opens {opens:%b} {opens.day}, {opens.year}, the day after the award ends" in page.replace(
        " ,", ","
    )
    assert "+ 1 day" not in page
    assert "Implementation is locked" in page
    for report in award.reports.filter(kind=ReportKind.PLANNING):
        award_flow.report_through_lead(report, bh_member, member)
        services.report_approve(report=report, actor=grant_manager)
    case_transition(case=award.case, name="begin_implementation", actor=member)
    page = page_text(page_client(admin).get(f"/grants/awards/{award.pk}/"))
    assert "Implementation is locked" not in page
    assert "implementation is open" in page


def test_a_report_sent_back_no_longer_reads_submitted_to_bja(award, admin, member, bh_member, grant_manager):
    from grants.awards import services

    award = award_flow.accept(award, admin)
    report = award_flow.report_through_lead(award_flow.first_quarterly(award), bh_member, member)
    services.report_return(report=report, actor=grant_manager, comment="Add the dispositions.")
    page = page_text(page_client(admin).get(f"/grants/awards/{award.pk}/reports/{report.pk}/"))
    assert "Sent back by BJA" in page
    assert "Submitted to BJA" not in page
    assert "First submitted to BJA" in page


def test_titles_are_not_doubled_when_they_already_carry_the_prefix(solicitation):
    solicitation.title = f"FY{solicitation.fiscal_year} Connect and Protect"
    assert str(solicitation) == f"FY{solicitation.fiscal_year} Connect and Protect"
    category = solicitation.categories.first()
    category.title = f"Category {category.code}: Law enforcement-led"
    assert str(category) == f"Category {category.code}: Law enforcement-led"
    category.title = "Law enforcement-led"
    assert str(category) == f"Category {category.code}: Law enforcement-led"


def test_reviewer_declaration_lists_the_applicants_without_a_dangling_comma(in_peer_review, grant_manager, reviewer):
    from grants import services

    services.reviewer_assign(application=in_peer_review, actor=grant_manager, reviewer=reviewer)
    page = page_text(page_client(reviewer).get(f"/grants/applications/{in_peer_review.pk}/"))
    applicants = re.search(r"Applicants: ([^.]*)\.", page).group(1)
    assert not applicants.endswith(", ") and ", ," not in applicants and applicants.count(",") == 1, applicants


def test_a_document_of_the_wrong_type_is_named_in_words(application, admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("notes.txt", b"Plain words.", content_type="text/plain")
    response = page_client(admin).post(
        f"/grants/applications/{application.pk}/documents/", {"kind": "program_narrative", "file": upload}
    )
    text = page_text(response)
    assert "“notes.txt” is a plain text file (TXT)." in text
    assert "PLAIN" not in text


def test_the_match_table_spreads_the_award_not_the_request(in_peer_review, grant_manager, reviewer, admin):
    from decimal import Decimal

    from grants.awards.selectors import match_years
    from grants.models import Award
    from tests.grants import flow

    flow.review(in_peer_review, grant_manager, reviewer)
    flow.to_decision(in_peer_review, grant_manager)
    flow.award(in_peer_review, grant_manager, amount=Decimal("450000.00"))
    award = Award.objects.get(application=in_peer_review)
    rows = match_years(award=award)
    assert sum(row.federal for row in rows) == Decimal("450000.00")
    assert [row.federal for row in rows] == [Decimal("150000.00")] * 3
    page = page_client(admin).get(f"/grants/awards/{award.pk}/").content.decode()
    match = page[page.index('id="match"') :]
    assert "$150,000.00" in match and "$180,000.00" not in match


def test_the_draft_solicitation_page_has_unique_ids_and_adds_a_category(draft_solicitation, grant_manager):
    base = f"/grants/solicitations/{draft_solicitation.pk}/"
    page = page_client(grant_manager).get(base).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for target in re.findall(r'<label[^>]*\sfor="([^"]+)"', page):
        assert ids.count(target) == 1, target
    category = {"code": "9", "title": "Rural", "award_ceiling": "550000", "period_months": "36", "match_schedule": "20"}
    response = page_client(grant_manager).post(
        base + "categories/", {f"category-{name}": value for name, value in category.items()}
    )
    assert response.status_code == 302
    assert draft_solicitation.categories.filter(code="9", title="Rural").exists()


def test_a_form_with_errors_opens_with_a_summary_linked_to_each_field(draft_solicitation, grant_manager):
    response = page_client(grant_manager).post(
        f"/grants/solicitations/{draft_solicitation.pk}/criteria/", {"criterion-title": "", "criterion-weight": "x"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    summary = page[page.index("app-error-summary") :]
    summary = summary[: summary.index("</ul>")]
    assert "There are 2 problems" in summary
    assert 'href="#id_criterion-title"' in summary and 'href="#id_criterion-weight"' in summary
    assert 'id="id_criterion-title"' in page


def test_bjas_reporting_calendar_lists_the_reports_owed_to_bja(award, admin, grant_manager, outsider):
    accepted = award_flow.accept(award, admin)
    first = award_flow.first_quarterly(accepted)
    page = page_client(grant_manager).get("/grants/awards/").content.decode()
    calendar = page[page.index('id="calendar-heading"') :]
    assert f"/grants/awards/{accepted.pk}/reports/{first.pk}/" in calendar
    rows = page_client(grant_manager).get("/grants/awards/export/calendar.csv").content.decode()
    assert accepted.number in rows
    assert accepted.number not in page_client(outsider).get("/grants/awards/export/calendar.csv").content.decode()


def test_the_lead_admin_assigns_the_financial_manager_on_the_award_page(award, admin, member, viewer, outsider):
    url = f"/grants/awards/{award.pk}/roles/"
    page = page_client(admin).get(f"/grants/awards/{award.pk}/").content.decode()
    assert f'action="{url}"' in page and 'name="roles-financial_manager"' in page
    data = {
        "roles-authorized_representative": award.authorized_representative_id,
        "roles-award_administrator": award.award_administrator_id,
        "roles-financial_manager": member.pk,
    }
    assert page_client(outsider).post(url, data).status_code == 404
    assert page_client(viewer).post(url, data).status_code == 403
    award.refresh_from_db()
    assert award.financial_manager_id is None
    assert page_client(admin).post(url, data).status_code == 302
    award.refresh_from_db()
    assert award.financial_manager_id == member.pk
    assert "roles-financial_manager" not in page_client(member).get(f"/grants/awards/{award.pk}/").content.decode()


def test_the_award_timeline_folds_the_scheduled_reports_into_one_row(award, admin):
    accepted = award_flow.accept(award, admin)
    scheduled = accepted.case.events.filter(verb="report.scheduled").count()
    assert scheduled > 10
    page = page_client(admin).get(f"/grants/awards/{accepted.pk}/").content.decode()
    timeline = page[page.index('id="timeline-heading"') :]
    rows = re.findall(r'<li class="app-timeline__event">', timeline)
    assert len(rows) < scheduled
    summary = re.search(r"<details[^>]*>\s*<summary>([^<]*)</summary>", timeline)
    assert summary and summary.group(1).startswith(f"{scheduled} reports scheduled by ")
    assert timeline.count("scheduled “") == scheduled
