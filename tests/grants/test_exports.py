"""CSV and Excel exports hold the rows of the page they come from, for who may see them, and nothing that a
spreadsheet would run as a formula."""

import csv
import io
from decimal import Decimal

import openpyxl

from grants import services
from tests.grants import flow
from tests.grants.test_pages import page_client


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_applications_export_lists_what_the_manager_sees(submitted, solicitation, organization, admin, grant_manager):
    flow.application_start(solicitation=solicitation, lead=organization, actor=admin, title="=HYPERLINK(1)")
    rows = _csv(page_client(grant_manager).get(f"/grants/solicitations/{solicitation.id}/export/applications.csv"))
    assert rows[0][:3] == ["Application", "Lead applicant", "Stage"]
    assert [row[:3] for row in rows[1:]] == [["Springfield co-responder program", organization.name, "Submitted"]]


def test_text_that_looks_like_a_formula_is_neutralised(in_peer_review, solicitation, grant_manager, reviewer):
    case = in_peer_review.case
    case.title = "=cmd|' /C calc'!A0"
    case.save()
    flow.review(in_peer_review, grant_manager, reviewer, Decimal("0.6"))
    rows = _csv(page_client(grant_manager).get(f"/grants/solicitations/{solicitation.id}/export/ranking.csv"))
    assert rows[1][:2] == ["1", "'=cmd|' /C calc'!A0"]
    assert rows[1][5] == "60.00"


def test_ranking_as_excel(in_peer_review, solicitation, grant_manager, reviewer, reviewer2):
    flow.review(in_peer_review, grant_manager, reviewer, Decimal("0.9"))
    flow.review(in_peer_review, grant_manager, reviewer2, Decimal("0.8"))
    response = page_client(grant_manager).get(f"/grants/solicitations/{solicitation.id}/export/ranking.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Rank" and sheet.title == "Ranked applications"
    assert rows[1][:2] == (1, "Springfield co-responder program")
    assert (Decimal(str(rows[1][5])), Decimal(str(rows[1][6]))) == (Decimal("85"), Decimal("10"))


def test_reviewer_progress_export(in_peer_review, solicitation, grant_manager, reviewer, reviewer2):
    flow.review(in_peer_review, grant_manager, reviewer, Decimal("0.9"))
    services.reviewer_assign(application=in_peer_review, reviewer=reviewer2, actor=grant_manager)
    rows = _csv(page_client(grant_manager).get(f"/grants/solicitations/{solicitation.id}/export/reviewers.csv"))
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Victor Chen"][2:7] == ["1", "1", "1", "0", "0"]
    assert by_name["Grace Adeyemi"][2:7] == ["1", "0", "0", "0", "1"]


def test_an_unknown_export_is_404(solicitation, grant_manager):
    client = page_client(grant_manager)
    assert client.get(f"/grants/solicitations/{solicitation.id}/export/secrets.csv").status_code == 404
    assert client.get(f"/grants/solicitations/{solicitation.id}/export/ranking.pdf").status_code == 404
