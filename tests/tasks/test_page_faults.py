"""Faults a walk through the task pages found (issue #16): where tasks are, their exports, the filter."""

import csv
import io
import re

from django.test import Client
from openpyxl import load_workbook

from tests.helpers import count_queries


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_case_page_has_a_tasks_section_with_add_a_task(case, make_task, member, viewer, outsider):
    make_task(title="Draft the MOU")
    page = page_client(member).get(f"/cases/{case.pk}/").content.decode()
    section = page[page.index('id="case-tasks-heading"') :]
    assert "Draft the MOU" in section
    assert f'href="/cases/{case.pk}/tasks/#create-heading">Add a task' in section
    # A viewer reads the tasks but is not offered to add one; an outsider does not find the case.
    read_only = page_client(viewer).get(f"/cases/{case.pk}/").content.decode()
    assert "Draft the MOU" in read_only and "Add a task" not in read_only
    assert page_client(outsider).get(f"/cases/{case.pk}/").status_code == 404


def test_the_tasks_section_reads_in_constant_queries(case, make_task, member):
    make_task(title="One")
    few, _, _ = count_queries(lambda: page_client(member).get(f"/cases/{case.pk}/"))
    for number in range(12):
        make_task(title=f"Task {number}")
    many, _, _ = count_queries(lambda: page_client(member).get(f"/cases/{case.pk}/"))
    assert many <= few


def test_task_lists_download_as_csv_and_excel_with_only_what_the_reader_sees(case, make_task, member, outsider):
    make_task(title="Draft the MOU", assignee=member)
    rows = list(csv.reader(io.StringIO(page_client(member).get("/tasks/export.csv").content.decode())))
    assert rows[0][:3] == ["Task", "Case", "Assigned to"] and rows[1][0] == "Draft the MOU"
    workbook = page_client(member).get(f"/cases/{case.pk}/tasks/export.xlsx")
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet["A2"].value == "Draft the MOU"
    assert page_client(outsider).get(f"/cases/{case.pk}/tasks/export.csv").status_code == 404
    assert "Draft the MOU" not in page_client(outsider).get("/tasks/export.csv").content.decode()
    assert page_client(member).get("/tasks/export.pdf").status_code == 404
    listing = page_client(member).get("/tasks/?status=all").content.decode()
    assert 'href="/tasks/export.csv?status=all"' in listing


def test_the_task_filter_organization_is_a_select_of_the_users_organizations(case, member, organization):
    page = page_client(member).get(f"/cases/{case.pk}/tasks/").content.decode()
    select = re.search(r'<select name="assignee_organization"[^>]*>(.*?)</select>', page, flags=re.S)
    assert select, "the Organization filter is not a drop-down"
    assert f'<option value="{organization.pk}">{organization.name}</option>' in select.group(1)


def test_the_sub_navigation_items_are_set_apart(member):
    page = page_client(member).get("/tasks/").content.decode()
    assert '<ul class="app-subnav">' in page
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    assert re.search(r"\.app-subnav > li \{[^}]*border-left", css)


def test_grants_home_links_to_the_awards(member):
    page = page_client(member).get("/grants/").content.decode()
    assert 'href="/grants/awards/"' in page[page.index("<h1>") :]
