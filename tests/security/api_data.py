"""A small, realistic dataset for probing the whole API: the demo plus an application taken to an accepted award.

The demo (``manage.py load_demo``) has organizations of every kind, one account per role, a draft application,
a partnership with agreements and a submitted assessment, TA requests and tasks. What it lacks is post-award:
this adds an application of the demo's agencies that goes through review to an award its lead accepts, with a
drafted report, a match report and a modification, and a notification and a calendar feed for the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from knox.models import AuthToken

from accounts.demo import DEMO_DOMAIN, ORGANIZATIONS
from accounts.models import Membership, Organization, User
from grants.awards import services as awards
from grants.models import Application, Award, ModificationKind, ReviewAssignment, Solicitation
from partnerships.models import Agreement, Assessment, Partnership, TARequest
from reminders.calendar import calendar_feed_create
from reminders.models import Notification
from tasks.models import Task
from tests.grants import award_flow, flow
from workflow.models import Case, Document, Milestone


@dataclass
class ApiDataset:
    media: Path
    #: An API token of the demo's site staff account (a superuser), who makes the generated requests.
    token: str
    #: API tokens of the lead agency's admin, who may act on the award, by demo account.
    tokens: dict[str, str]
    #: Ids of the rows the known answers are about, by name ("award", "partnership_case"…).
    refs: dict[str, int]
    #: Ids of real rows per URL segment ("applications": [...]), for the ids in paths.
    ids: dict[str, list[int]]


def _user(local_part: str) -> User:
    return User.objects.get(email=f"{local_part}@{DEMO_DOMAIN}")


def _organization(key: str) -> Organization:
    spec = next(spec for spec in ORGANIZATIONS if spec.key == key)
    return Organization.objects.get(name=spec.name, state=spec.state)


def _accepted_award() -> Award:
    lead, partner, manager = _user("police.admin"), _user("bh.admin"), _user("bja.manager")
    solicitation = flow.solicitation_publish(agency=_organization("bja"), manager=manager)
    application = flow.application_start(
        solicitation=solicitation, lead=_organization("pd"), actor=lead, co_applicants=[_organization("bh")]
    )
    flow.submit(application, lead, partner)
    flow.to_peer_review(application, manager)
    flow.review(application, manager, _user("bja.reviewer1"))
    flow.to_decision(application, manager)
    flow.award(application, manager)
    award = award_flow.accept(Award.objects.get(application=application), lead)
    awards.report_draft(report=award_flow.first_quarterly(award), actor=lead, text="Calls diverted: 42.")
    awards.match_report(award=award, actor=lead, year=1, amount=Decimal("45000.00"), note="County in-kind")
    awards.modification_request(award=award, actor=lead, kind=ModificationKind.SCOPE, description="Add a county.")
    return award


def _ids(model, **filters) -> list[int]:
    return list(model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True)[:3])


def api_dataset(*, media: Path) -> ApiDataset:
    caller = _user("staff")
    award = _accepted_award()
    feed, _ = calendar_feed_create(user=caller, name="My deadlines")
    Notification.objects.create(
        recipient=caller, kind="task_activity", target=f"award:{award.pk}", window="now", case=award.case,
        subject="A report was drafted", url=f"/grants/awards/{award.pk}/",
    )  # fmt: skip
    _, token = AuthToken.objects.create(caller)
    tokens = {account: AuthToken.objects.create(_user(account))[1] for account in ("police.admin", "sheriff.ta")}
    partnership = Partnership.objects.order_by("pk").first()
    refs = {
        "award": award.pk,
        "award_case": award.case_id,
        "application": award.application_id,
        "solicitation": award.application.solicitation_id,
        "report": award.reports.filter(drafted_by=None).order_by("pk").first().pk,
        "partnership": partnership.pk,
        "partnership_case": partnership.case_id,
        "task": Task.objects.filter(case__organization=_organization("pd")).order_by("pk").first().pk,
    }
    organizations = _ids(Organization)
    ids = {
        "organizations": organizations,
        "members": _ids(Membership, organization=organizations[0]),  # Paired with the first organization.
        "cases": _ids(Case),
        "milestones": _ids(Milestone),
        "documents": _ids(Document),
        "solicitations": _ids(Solicitation),
        "applications": _ids(Application),
        "awards": [award.pk],
        "award-reports": list(award.reports.order_by("due_date", "pk").values_list("pk", flat=True)[:2]),
        "modifications": _ids(award.modifications.model, award=award),
        "partnerships": _ids(Partnership),
        "agreements": _ids(Agreement),
        "assessments": _ids(Assessment),
        "learning-sites": _ids(Organization, is_learning_site=True),
        "ta-requests": _ids(TARequest),
        "notifications": _ids(Notification, recipient=caller),
        "calendar-feeds": [feed.pk],
        "tasks": _ids(Task),
        "reviews": _ids(ReviewAssignment),
    }
    return ApiDataset(media=media, token=token, tokens=tokens, refs=refs, ids=ids)
