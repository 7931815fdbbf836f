"""Partnership endpoints: outsider 404 and viewer 403 on every one, bad input named, flows, constant queries."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import Role
from partnerships.models import Agreement, AgreementParty, Assessment, AssessmentAnswer, Partnership, PartnershipMember
from partnerships.services.agreements import agreement_create
from partnerships.services.assessments import assessment_start
from partnerships.services.partnerships import partnership_create
from tasks.models import Task
from tests import factories
from tests.factories import organization_today
from tests.helpers import Write, api_client, assert_access_rules, assert_constant_queries
from workflow.checklists import checklist_template_current
from workflow.models import Case, Event, Milestone, Participant

from .steps import submit_assessment

WATCHED = [
    Case,
    Participant,
    Partnership,
    PartnershipMember,
    Agreement,
    AgreementParty,
    Assessment,
    AssessmentAnswer,
    Milestone,
    Event,
    Task,
]


@pytest.fixture
def mou(partnership, admin, organization, bh_org):
    return agreement_create(
        partnership=partnership,
        actor=admin,
        kind="mou",
        title="MOU",
        parties=[organization, bh_org],
        effective_date=organization_today(),
    )


def test_partnership_endpoints_outsider_404_viewer_403(partnership, mou, organization, bh_org, outsider, viewer, admin):
    base = f"/api/v1/partnerships/{partnership.id}/"
    draft = assessment_start(partnership=partnership, organization=organization, actor=admin)
    item = draft.answers.first().item_id
    done = submit_assessment(partnership, bh_org, factories.member_of(bh_org, Role.ADMIN), item_1="no")
    gap_item = done.answers.get(item__order=1).item_id
    for read in ["", "agreements/", "assessments/", "trend/"]:
        assert_access_rules(read_url=base + read, writes=[], outsider=outsider, viewer=viewer, models=WATCHED)
    for read in [f"/api/v1/agreements/{mou.id}/", f"/api/v1/assessments/{draft.id}/"]:
        assert_access_rules(read_url=read, writes=[], outsider=outsider, viewer=viewer, models=WATCHED)
    other = factories.OrganizationFactory(kind="other")
    today = organization_today().isoformat()
    assert_access_rules(
        read_url=base,
        writes=[
            Write("patch", base, {"jurisdiction": "Elsewhere"}),
            Write("post", base + "members/", {"organization": other.id, "role": "other"}),
            Write(
                "post",
                base + "agreements/",
                {"kind": "mou", "title": "X", "parties": [organization.id, bh_org.id], "effective_date": today},
            ),
            Write("post", base + "assessments/", {"organization": organization.id}),
            Write("post", f"/api/v1/agreements/{mou.id}/sign/", {"organization": organization.id}),
            Write("post", f"/api/v1/assessments/{draft.id}/answers/", {"answers": [{"item": item, "answer": "no"}]}),
            Write("post", f"/api/v1/assessments/{draft.id}/submit/", {}),
            Write("post", f"/api/v1/assessments/{done.id}/plan-gap/", {"item": gap_item}),
            Write("post", f"/api/v1/assessments/{done.id}/gap-task/", {"item": gap_item}),
            Write("post", f"/api/v1/cases/{partnership.case_id}/transitions/", {"name": "start_planning"}),
        ],
        outsider=outsider,
        viewer=viewer,
        models=WATCHED,
    )


def test_an_outsider_cannot_open_a_partnership_for_our_agency_and_a_viewer_is_refused(
    organization, bh_org, outsider, viewer
):
    body = {
        "title": "P",
        "lead": organization.id,
        "jurisdiction": "S",
        "members": [{"organization": bh_org.id, "role": "behavioral_health"}],
    }
    response = api_client(outsider).post("/api/v1/partnerships/", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "not_your_organization"
    assert api_client(viewer).post("/api/v1/partnerships/", body, format="json").status_code == 403
    assert not Case.objects.exists()


def test_opening_a_partnership_without_a_behavioral_health_member_names_the_rule(organization, admin, county_org):
    body = {
        "title": "P",
        "lead": organization.id,
        "jurisdiction": "S",
        "members": [{"organization": county_org.id, "role": "government"}],
    }
    response = api_client(admin).post("/api/v1/partnerships/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "no_behavioral_health_member"
    assert response.json()["errors"][0]["field"] == "members"
    assert not Case.objects.exists()


def test_open_a_partnership(organization, admin, bh_org):
    body = {
        "title": "Co-responders",
        "lead": organization.id,
        "jurisdiction": "Springfield",
        "response_models": ["co_responder"],
        "members": [{"organization": bh_org.id, "role": "behavioral_health", "responsibilities": "Clinicians"}],
    }
    response = api_client(admin).post("/api/v1/partnerships/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["stage"], data["lead_name"], data["response_models"]) == (
        "exploring",
        organization.name,
        ["co_responder"],
    )
    assert {m["role"] for m in data["members"]} == {"lead_agency", "behavioral_health"}


def test_signing_for_an_organization_that_is_not_a_party_is_refused(mou, county_admin, county_org):
    response = api_client(county_admin).post(
        f"/api/v1/agreements/{mou.id}/sign/", {"organization": county_org.id}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "not_a_party"
    assert not AgreementParty.objects.filter(signed_on__isnull=False).exists()


def test_both_parties_sign_and_the_agreement_is_in_force(mou, admin, bh_admin, organization, bh_org):
    api_client(admin).post(f"/api/v1/agreements/{mou.id}/sign/", {"organization": organization.id}, format="json")
    response = api_client(bh_admin).post(
        f"/api/v1/agreements/{mou.id}/sign/", {"organization": bh_org.id}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "in_force"


def test_assessment_for_the_wrong_audience_is_refused(partnership, bh_admin, bh_org):
    response = api_client(bh_admin).post(
        f"/api/v1/partnerships/{partnership.id}/assessments/",
        {"organization": bh_org.id, "checklist": "pmhc-policymaker"},
        format="json",
    )
    assert response.status_code == 400 and response.json()["code"] == "wrong_audience"
    assert not Assessment.objects.exists()


def test_assess_submit_compare_and_plan_a_gap(partnership, admin, organization):
    client = api_client(admin)
    first = submit_assessment(partnership, organization, admin, item_3="partly")
    started = client.post(f"/api/v1/partnerships/{partnership.id}/assessments/", {"organization": organization.id})
    assert started.status_code == 201, started.json()
    url = f"/api/v1/assessments/{started.json()['id']}/"
    items = [a["item"] for a in client.get(url).json()["answers"]]
    saved = client.post(
        url + "answers/", {"answers": [{"item": items[0], "answer": "no", "note": "Lapsed"}]}, format="json"
    )
    assert saved.status_code == 200 and saved.json()["status"] == "draft"
    refused = client.post(url + "submit/", {}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "unanswered"
    rest = [{"item": item, "answer": "yes"} for item in items[1:]]
    submitted = client.post(url + "submit/", {"answers": rest}, format="json").json()
    assert submitted["status"] == "submitted" and submitted["previous"] == first.id
    assert submitted["change"]["items"][0]["change"] == "worse"
    assert submitted["change"]["items"][2]["change"] == "better"
    assert submitted["scores"]["overall"]["percent"] == round(100 * 11 / 12, 1)
    planned = client.post(url + "plan-gap/", {"item": items[0]}, format="json")
    assert planned.status_code == 201 and planned.json()["title"].startswith("Close the gap")
    again = client.post(url + "plan-gap/", {"item": items[0]}, format="json")
    assert again.status_code == 409
    tasked = client.post(url + "gap-task/", {"item": items[0], "due_date": "2030-01-15"}, format="json")
    assert tasked.status_code == 201, tasked.json()
    task = tasked.json()
    assert (task["assignee"], task["assignee_organization"], task["due_date"]) == (None, organization.id, "2030-01-15")
    assert task["milestone"] == planned.json()["id"] and task["origin_kind"] == "assessment_gap"
    assert client.post(url + "gap-task/", {"item": items[0]}, format="json").json()["code"] == "already_tasked"
    unknown = client.post(url + "gap-task/", {"item": items[0], "assignee": 999999}, format="json")
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "assignee"
    trend = client.get(f"/api/v1/partnerships/{partnership.id}/trend/").json()
    assert [p["score"] for p in trend[0]["points"]] == [round(100 * 11.5 / 12, 1), round(100 * 11 / 12, 1)]


def test_partnership_lists_have_constant_queries(partnership, organization, admin, bh_org, member):
    template = checklist_template_current(key="pmhc-law-enforcement")

    def more_partnerships(count):
        for _ in range(count):
            partnership_create(
                actor=admin,
                lead=organization,
                title="P",
                jurisdiction="S",
                members=[
                    (bh_org, "behavioral_health"),
                    (factories.OrganizationFactory(kind="government"), "government"),
                ],
            )

    def more_agreements(count):
        for _ in range(count):
            agreement_create(
                partnership=partnership,
                actor=admin,
                kind="mou",
                title="MOU",
                parties=[organization, bh_org],
                effective_date=organization_today(),
            )

    def more_assessments(count):
        Assessment.objects.bulk_create(
            Assessment(
                partnership=partnership,
                organization=organization,
                template=template,
                started_by=admin,
                status="submitted",
                submitted_by=admin,
                submitted_at=timezone.now(),
                score=50,
            )
            for _ in range(count)
        )

    client = api_client(member)
    base = f"/api/v1/partnerships/{partnership.id}/"
    assert_constant_queries(request=lambda: client.get("/api/v1/partnerships/?page_size=100"), grow=more_partnerships)
    assert_constant_queries(request=lambda: client.get(base + "agreements/?page_size=100"), grow=more_agreements)
    assert_constant_queries(
        requests={
            "assessments": lambda: client.get(base + "assessments/?page_size=100"),
            "trend": lambda: client.get(base + "trend/"),
        },
        grow=more_assessments,
    )
