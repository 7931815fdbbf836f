"""Partnership pages: outsider 404, viewer 403 on every form, bad input 400 with its rule, constant queries."""

from __future__ import annotations

import pytest
from django.test import Client

from partnerships.models import (
    Agreement,
    AgreementParty,
    Assessment,
    AssessmentAnswer,
    LearningSiteProfile,
    Partnership,
    PartnershipMember,
)
from partnerships.services.agreements import agreement_create
from partnerships.services.assessments import assessment_start
from partnerships.services.partnerships import partnership_create
from tasks.models import Task
from tests import factories
from tests.factories import organization_today
from tests.helpers import Write, assert_access_rules, assert_constant_queries
from workflow.models import Case, Event, Milestone, Participant

from .steps import submit_assessment

WATCHED = [Case, Participant, Partnership, PartnershipMember, Agreement, AgreementParty, Assessment]
WATCHED += [AssessmentAnswer, Milestone, Event, LearningSiteProfile, Task]


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def mou(partnership, admin, organization, bh_org):
    return agreement_create(
        partnership=partnership,
        actor=admin,
        kind="mou",
        title="Co-responder MOU",
        parties=[organization, bh_org],
        effective_date=organization_today(),
    )


def test_pages_show_outsider_404_and_refuse_viewer_writes(
    partnership, mou, organization, bh_org, admin, outsider, viewer
):
    draft = assessment_start(partnership=partnership, organization=organization, actor=admin)
    done = submit_assessment(partnership, bh_org, factories.member_of(bh_org, "admin"), item_1="no")
    gap = done.answers.get(item__order=1)
    base = f"/partnerships/{partnership.id}/"
    item = draft.answers.first().item_id
    for read in [base, f"{base}assessments/{draft.id}/", f"{base}assessments/{done.id}/"]:
        assert_access_rules(
            read_url=read, writes=[], outsider=outsider, viewer=viewer, models=WATCHED, client_factory=browser
        )
    writes = [
        Write("post", f"{base}agreements/{mou.id}/sign/", {"organization": organization.id}),
        Write("post", f"{base}assessments/", {"organization": organization.id}),
        Write("post", f"{base}assessments/{draft.id}/", {f"answer_{item}": "no", "action": "save"}),
        Write("post", f"{base}assessments/{draft.id}/", {f"answer_{item}": "no", "action": "submit"}),
        Write("post", f"{base}assessments/{done.id}/gaps/{gap.id}/", {}),
        Write("post", f"{base}assessments/{done.id}/gaps/{gap.id}/task/", {}),
        Write(
            "post",
            f"{base}agreements/new/",
            {"kind": "mou", "title": "X", "effective_date": "2026-01-01", "parties": [organization.id, bh_org.id]},
        ),
    ]
    assert_access_rules(
        read_url=base, writes=writes, outsider=outsider, viewer=viewer, models=WATCHED, client_factory=browser
    )
    assert browser(outsider).get(f"{base}agreements/new/").status_code == 404
    assert browser(viewer).get(f"{base}agreements/new/").status_code == 403


def test_the_partnership_page_shows_members_agreements_and_the_trend(partnership, mou, admin, organization, member):
    submit_assessment(partnership, organization, admin, item_1="no")
    submit_assessment(partnership, organization, admin)
    page = browser(member).get(f"/partnerships/{partnership.id}/").content.decode()
    for text in [
        "Prairie Behavioral Health",
        "Jurisdiction government",
        "Co-responder MOU",
        "Awaiting signatures",
        "Overall score over time",
        "<svg",
        "<polyline",
        "91.7%",
        "100%",
        "Start planning",
    ]:
        assert text in page, text


def test_open_a_partnership_from_the_form(organization, admin, bh_org):
    client = browser(admin)
    data = {"title": "Co-responders", "lead": organization.id, "jurisdiction": "Springfield"}
    refused = client.post("/partnerships/new/", data)
    assert refused.status_code == 400
    assert "A partnership needs at least one behavioral health partner." in refused.content.decode()
    assert not Partnership.objects.exists()
    response = client.post("/partnerships/new/", {**data, "behavioral_health": [bh_org.id], "response_models": ["cit"]})
    assert response.status_code == 302
    partnership = Partnership.objects.get()
    assert response["Location"] == f"/partnerships/{partnership.id}/"
    assert partnership.response_models == ["cit"]


def test_only_agency_staff_see_the_partnership_form(viewer, outsider):
    assert browser(viewer).get("/partnerships/new/").status_code == 403
    assert browser(outsider).get("/partnerships/new/").status_code == 200  # an admin of another sheriff's office


def test_the_agreement_form_says_no_health_information(partnership, admin):
    page = browser(admin).get(f"/partnerships/{partnership.id}/agreements/new/").content.decode()
    assert "never client names, diagnoses or any other client-level health information" in page
    assert "42 CFR Part 2" in page


def test_signing_for_an_organization_that_is_not_a_party_answers_400(partnership, mou, county_admin, county_org):
    response = browser(county_admin).post(
        f"/partnerships/{partnership.id}/agreements/{mou.id}/sign/", {"organization": county_org.id}
    )
    assert response.status_code == 400
    assert "is not a party to" in response.content.decode()
    assert not AgreementParty.objects.filter(signed_on__isnull=False).exists()


def test_assessment_draft_then_submit_from_the_form(partnership, admin, organization):
    client = browser(admin)
    started = client.post(f"/partnerships/{partnership.id}/assessments/", {"organization": organization.id})
    assessment = Assessment.objects.get()
    assert started["Location"] == f"/partnerships/{partnership.id}/assessments/{assessment.id}/"
    items = list(assessment.answers.order_by("item__order").values_list("item_id", flat=True))
    url = started["Location"]
    client.post(url, {f"answer_{items[0]}": "no", f"note_{items[0]}": "No directive yet", "action": "save"})
    assert AssessmentAnswer.objects.get(assessment=assessment, item_id=items[0]).answer == "no"
    refused = client.post(url, {f"answer_{items[0]}": "no", "action": "submit"})
    assert refused.status_code == 400 and "Answer every item before submitting" in refused.content.decode()
    answers = {f"answer_{item}": "yes" for item in items[1:]} | {f"answer_{items[0]}": "no", "action": "submit"}
    assert client.post(url, answers).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    page = client.get(url).content.decode()
    assert "Make it a milestone" in page and "Program evaluation and sustainability" in page
    gap = assessment.answers.get(item_id=items[0])
    assert client.post(f"{url}gaps/{gap.id}/", {"due_date": ""}).status_code == 302
    assert AssessmentAnswer.objects.get(pk=gap.pk).milestone.title.startswith("Close the gap")
    assert client.post(f"{url}gaps/{gap.id}/", {}).status_code == 400  # already planned
    assert client.post(f"{url}gaps/{gap.id}/task/", {"due_date": "2030-01-15"}).status_code == 302
    page = client.get(url).content.decode()
    assert "Task <a href" in page and "Close the gap" in page
    assert client.post(f"{url}gaps/{gap.id}/task/", {}).status_code == 400  # an unfinished task exists
    assert Task.objects.get(origin_kind="assessment_gap", origin_id=gap.pk).due_date.isoformat() == "2030-01-15"


def test_lists_and_dashboard_have_constant_queries(partnership, organization, admin, bh_org, member):
    def more(count):
        for _ in range(count):
            partnership_create(
                actor=admin, lead=organization, title="P", jurisdiction="S", members=[(bh_org, "behavioral_health")]
            )

    client = browser(member)
    assert_constant_queries(
        requests={"/partnerships/": lambda: client.get("/partnerships/"), "the dashboard": lambda: client.get("/")},
        grow=more,
    )
