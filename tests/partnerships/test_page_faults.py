"""Faults a walk through the partnership and TA pages found (issue #16): each test reads what the page says."""

import re
from decimal import Decimal
from html import unescape

from django.test import Client

from partnerships.services.assessments import assessment_start
from partnerships.services.ta import ta_delivery_record, ta_request_match
from tests.factories import organization_today
from tests.partnerships import steps
from workflow.services import case_transition


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_text(response) -> str:
    body = re.sub(r"<script.*?</script>", "", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


def test_a_ta_delivery_reads_as_a_sentence_in_the_timeline(ta_request, coordinator, site_org, member):
    case_transition(case=ta_request.case, name="acknowledge", actor=coordinator)
    ta_request.refresh_from_db()
    ta_request_match(ta_request=ta_request, site=site_org, actor=coordinator)
    ta_delivery_record(
        ta_request=ta_request,
        actor=coordinator,
        delivered_on=organization_today(),
        delivery_type="training",
        hours=Decimal("4"),
        attendees=24,
    )
    text = page_text(page_client(member).get(f"/ta/{ta_request.pk}/"))
    assert "ta delivery recorded" not in text
    assert f"recorded a delivery by {site_org.name}: training on" in text


def test_a_failed_assessment_save_keeps_the_answers_counts_them_and_says_why(partnership, organization, admin):
    assessment = assessment_start(partnership=partnership, organization=organization, actor=admin)
    rows = list(assessment.answers.select_related("item").order_by("item__order"))
    data = {f"answer_{row.item_id}": "yes" for row in rows[:3]}
    data[f"note_{rows[0].item_id}"] = "x" * 2001
    url = f"/partnerships/{partnership.pk}/assessments/{assessment.pk}/"
    response = page_client(admin).post(url, data)
    assert response.status_code == 400
    text = page_text(response)
    assert f"3 of {len(rows)} answered" in text
    assert "There is a problem" in text
    assert f'href="#id_note_{rows[0].item_id}"' in response.content.decode()
    assert response.content.decode().count(" checked") == 3


def test_an_answer_that_moved_to_not_applicable_reads_changed_from(partnership, organization, admin):
    steps.submit_assessment(partnership, organization, admin, item_1="partly")
    second = steps.submit_assessment(partnership, organization, admin, item_1="not_applicable")
    text = page_text(page_client(admin).get(f"/partnerships/{partnership.pk}/assessments/{second.pk}/"))
    assert "changed than before" not in text
    assert "changed from Partly" in text


def test_learning_sites_show_a_contact_offer_a_request_and_confirm_a_saved_profile(
    site_org, coordinator, member, organization
):
    url = f"/learning-sites/{site_org.id}/profile/"
    data = {
        "response_models": ["cit"],
        "topics": ["cit_training"],
        "capacity_per_quarter": 4,
        "contact_name": "Lt. Dana Reyes",
        "contact_email": "dreyes@madison.example",
        "contact_phone": "615-555-0100",
    }
    saved = page_client(coordinator).post(url, data, follow=True)
    assert f"The profile of {site_org.name} was saved." in page_text(saved)
    directory = page_client(member).get("/learning-sites/")
    text = page_text(directory)
    assert "Contact: Lt. Dana Reyes · dreyes@madison.example · 615-555-0100" in text
    assert f'href="/ta/new/?site={site_org.pk}"' in directory.content.decode()
    form = page_client(member).get(f"/ta/new/?site={site_org.pk}").content.decode()
    assert re.search(rf'<option value="{site_org.pk}" selected>', form)
    # The member works for one agency: the required "Requesting organization" starts on it.
    assert re.search(rf'<option value="{organization.pk}" selected>', form)


def test_learning_sites_and_awards_are_in_the_main_menu(member):
    nav = page_client(member).get("/").content.decode()
    nav = nav[nav.index('aria-label="Primary"') : nav.index("</nav>")]
    assert 'href="/learning-sites/"' in nav and 'href="/grants/awards/"' in nav


def test_the_ta_match_starts_on_the_site_the_requester_asked_for(organization, member, coordinator, site_org):
    from partnerships.services.ta import ta_request_create

    asked = ta_request_create(
        actor=member,
        organization=organization,
        topic="co_responder",
        preferred_delivery="training",
        preferred_site=site_org,
        description="CIT training for 20 officers.",
    )
    case_transition(case=asked.case, name="acknowledge", actor=coordinator)
    page = page_client(coordinator).get(f"/ta/{asked.pk}/").content.decode()
    select = page[page.index('name="site"') :]
    select = select[: select.index("</select>")]
    assert re.search(rf'<option value="{site_org.pk}" selected>', select)


def test_the_partnership_page_has_a_tasks_section(partnership, admin, bh_org, bh_admin):
    from tasks.services.task import task_create

    task_create(case=partnership.case, actor=admin, title="Call the crisis line", assignee_organization=bh_org)
    page = page_client(bh_admin).get(f"/partnerships/{partnership.pk}/").content.decode()
    section = page[page.index('id="case-tasks-heading"') :]
    assert "Call the crisis line" in section and "Add a task" in section


def test_partnerships_download_as_csv_and_excel_with_only_what_the_reader_sees(partnership, admin, outsider):
    import csv
    import io

    from openpyxl import load_workbook

    rows = list(csv.reader(io.StringIO(page_client(admin).get("/partnerships/export.csv").content.decode())))
    assert rows[0][:3] == ["Partnership", "Lead agency", "Stage"]
    assert rows[1][0] == "Springfield co-responder partnership"
    sheet = load_workbook(io.BytesIO(page_client(admin).get("/partnerships/export.xlsx").content)).active
    assert sheet["A2"].value == "Springfield co-responder partnership"
    assert (
        len(list(csv.reader(io.StringIO(page_client(outsider).get("/partnerships/export.csv").content.decode())))) == 1
    )
    assert page_client(admin).get("/partnerships/export.pdf").status_code == 404
    assert 'href="/partnerships/export.csv"' in page_client(admin).get("/partnerships/").content.decode()
