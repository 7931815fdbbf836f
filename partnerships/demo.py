"""Demo partnership, Learning Site profile and TA requests (settings.DEMO_LOADERS, after accounts.demo).

Everything goes through the services, as the demo users themselves would do it.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.apps import apps
from django.db import transaction

from accounts.demo import DEMO_DOMAIN, LEARNING_SITES
from accounts.models import Organization, User
from partnerships.choices import Answer, MemberRole
from partnerships.migrations.frozen import checklists_v1
from partnerships.models import LearningSiteProfile, Partnership, TARequest
from partnerships.selectors.partnerships import local_today
from partnerships.services.agreements import agreement_create, agreement_sign
from partnerships.services.assessments import (
    assessment_gap_plan,
    assessment_gap_task,
    assessment_start,
    assessment_submit,
)
from partnerships.services.learning_sites import learning_site_profile_update
from partnerships.services.partnerships import partnership_create
from partnerships.services.ta import ta_delivery_record, ta_request_create, ta_request_match
from workflow.checklists import milestone_approve, milestone_submit
from workflow.services import case_transition

TITLE = "Springfield co-responder partnership"
# What each of the other nine Learning Sites offers (the demo sheriff's office fills its own profile in _ta).
SITE_PROFILES = {
    "houston": (["cit", "co_responder", "case_management"], ["cit_training", "co_responder", "case_management"], 12,
                "A large city's mental health division: CIT, a clinician-officer response team and chronic consumer "
                "stabilization."),
    "lapd": (["co_responder", "case_management", "dispatch_triage"], ["co_responder", "dispatch", "case_management"],
             12, "Mental evaluation unit with triage desk, co-responder teams and case assessment follow-up."),
    "madison": (["cit", "embedded_clinician"], ["cit_training", "policies", "program_design"], 6,
                "Mental health officers in each district and an embedded clinician."),
    "portland": (["co_responder", "embedded_clinician"], ["co_responder", "information_sharing"], 4,
                 "A behavioral health coordinator and liaisons who ride with officers in a mid-sized city."),
    "slc": (["cit", "case_management"], ["cit_training", "case_management", "sustainability"], 6,
            "CIT program of long standing, with a follow-up team for frequent contacts."),
    "ufpd": (["cit"], ["cit_training", "policies"], 4,
             "A campus police department: CIT for officers and a response for students in crisis."),
    "arlington": (["co_responder", "embedded_clinician"], ["co_responder", "information_sharing", "data_evaluation"],
                  4, "A jail diversion clinician embedded in a suburban department; regional partnerships."),
    "tucson": (["mobile_crisis", "co_responder", "crisis_stabilization"], ["crisis_services", "dispatch"], 8,
               "Mental health support team, mobile crisis, and a crisis response center that takes police drop-offs."),
    "ohio": (["cit", "co_responder"], ["cit_training", "co_responder", "sustainability"], 4,
             "Three rural counties' sheriffs and their behavioral health provider, sharing clinicians."),
}  # fmt: skip


def _user(local_part: str) -> User:
    return User.objects.get(email=f"{local_part}@{DEMO_DOMAIN}")


def _partnership(pd, bh, county) -> int:
    police, clinic = _user("police.admin"), _user("bh.admin")
    partnership = partnership_create(
        actor=police,
        lead=pd,
        title=TITLE,
        jurisdiction="City of Springfield, IL",
        members=[(bh, MemberRole.BEHAVIORAL_HEALTH), (county, MemberRole.GOVERNMENT)],
        response_models=["co_responder", "cit", "mobile_crisis"],
        population_served="City residents (114,000)",
        description="Clinicians from Prairie Behavioral Health ride with CIT officers on the evening shifts.",
    )
    case_transition(case=partnership.case, name="start_planning", actor=police, comment="Planning committee formed.")
    today = local_today(pd)  # The partnership's own day, not the server's: they differ around midnight.
    mou = agreement_create(
        partnership=partnership,
        actor=police,
        kind="mou",
        title="Co-responder MOU",
        parties=[pd, bh],
        effective_date=today - timedelta(days=60),
        expiry_date=today + timedelta(days=2 * 365),
    )
    agreement_sign(agreement=mou, organization=pd, actor=police, signed_on=today - timedelta(days=62))
    agreement_sign(agreement=mou, organization=bh, actor=clinic, signed_on=today - timedelta(days=61))
    # Expires within 90 days: in the first reminder window.
    sharing = agreement_create(
        partnership=partnership,
        actor=police,
        kind="information_sharing",
        title="Information-sharing agreement",
        parties=[pd, bh, county],
        effective_date=today - timedelta(days=285),
        expiry_date=today + timedelta(days=80),
    )
    for organization, actor in ((pd, police), (bh, clinic), (county, _user("county.admin"))):
        agreement_sign(agreement=sharing, organization=organization, actor=actor, signed_on=today - timedelta(days=286))
    for milestone in partnership.case.milestones.filter(template__key="pmhc-planning").order_by("order")[:2]:
        milestone_submit(milestone=milestone, actor=police, note="Agreed at the planning committee.")
        milestone_approve(milestone=milestone, actor=clinic)
    assessment = assessment_start(partnership=partnership, organization=pd, actor=police)
    gaps = {4: Answer.PARTLY, 10: Answer.NO, 12: Answer.NO}
    answers = {
        row.item_id: {"answer": gaps.get(row.item.order, Answer.YES), "note": ""}
        for row in assessment.answers.select_related("item")
    }
    assessment_submit(assessment=assessment, actor=police, answers=answers)
    gap = assessment.answers.get(item__order=10)
    assessment_gap_plan(answer=gap, actor=police, due_date=today + timedelta(days=90))
    assessment_gap_task(
        answer=assessment.answers.get(item__order=12), actor=police, due_date=today + timedelta(days=30)
    )
    return 1


def _learning_sites() -> int:
    """The profiles of the Learning Sites that have no staff in the demo, kept by the site staff account."""
    staff, created = _user("staff"), 0
    for spec in LEARNING_SITES:
        organization = Organization.objects.get(name=spec.name, state=spec.state)
        if spec.key not in SITE_PROFILES or LearningSiteProfile.objects.filter(organization=organization).exists():
            continue
        models, topics, capacity, summary = SITE_PROFILES[spec.key]
        learning_site_profile_update(
            organization=organization, actor=staff, response_models=models, topics=topics,
            capacity_per_quarter=capacity, summary=summary,
        )  # fmt: skip
        created += 1
    return created


def _ta(pd, county, sheriff) -> int:
    coordinator, police = _user("sheriff.ta"), _user("police.member")
    learning_site_profile_update(
        organization=sheriff,
        actor=coordinator,
        response_models=["cit", "co_responder", "case_management"],
        topics=["cit_training", "co_responder", "policies", "data_evaluation"],
        capacity_per_quarter=8,
        summary="A rural sheriff's office with a county-wide CIT program and a co-responder clinician.",
    )
    trained = ta_request_create(
        actor=police,
        organization=pd,
        topic="cit_training",
        preferred_delivery="training",
        preferred_site=sheriff,
        description="40-hour CIT course for 20 patrol officers before the co-responder pilot starts.",
    )
    case_transition(case=trained.case, name="acknowledge", actor=coordinator, comment="Call set for Monday.")
    ta_request_match(ta_request=trained, site=sheriff, actor=coordinator)
    ta_delivery_record(
        ta_request=trained,
        actor=coordinator,
        delivered_on=local_today(sheriff),  # "Today" where the training took place.
        delivery_type="training",
        attendees=20,
        hours=Decimal("40"),
        note="CIT course at the Springfield training academy.",
    )
    ta_request_create(
        actor=_user("county.admin"),
        organization=county,
        topic="data_evaluation",
        preferred_delivery="virtual_meeting",
        description="How other counties measure emergency-room transports and repeat calls.",
    )
    return 2


@transaction.atomic
def load() -> int:
    """Create the demo partnership and TA requests once; leave them alone afterwards."""
    # Migration 0002 published the checklists; a flushed test database has lost them.
    checklists_v1.publish(apps)
    organizations = {
        org.name: org
        for org in Organization.objects.filter(
            name__in=[
                "Springfield Police Department",
                "Prairie Behavioral Health Center",
                "Sangamon County Board",
                "Madison County Sheriff's Office",
            ]
        )
    }
    if len(organizations) < 4:
        return 0
    pd, bh = organizations["Springfield Police Department"], organizations["Prairie Behavioral Health Center"]
    county, sheriff = organizations["Sangamon County Board"], organizations["Madison County Sheriff's Office"]
    created = 0
    if not Partnership.objects.filter(case__title=TITLE).exists():
        created += _partnership(pd, bh, county)
    if not LearningSiteProfile.objects.filter(organization=sheriff).exists() and not TARequest.objects.exists():
        created += _ta(pd, county, sheriff)
    return created + _learning_sites()
