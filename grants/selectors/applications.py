"""Solicitations and applications as users may see them, and the live checklist of what a submission needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone

from accounts.models import Organization, User
from config.errors import NotFound
from grants.models import Application, ApplicationSignoff, Solicitation
from grants.rules import (
    ACCEPTED_TYPES,
    APPLICANT_ROLES,
    JUSTICE_KINDS,
    MENTAL_HEALTH_KINDS,
    accepted_type_names,
    kind_label,
    kind_phrase,
)
from grants.validation import YearLine, amount_problem, budget_problems, money, period_problem
from workflow.access import VIEW
from workflow.models import Document, Participant, Visibility

# Documents BJA can read count toward the application; "my organization only" ones are working files.
SHARED_WITH_BJA = (Visibility.ALL, Visibility.ORGANIZATION_AND_BJA)


def solicitation_list(*, user: User) -> QuerySet[Solicitation]:
    return Solicitation.objects.visible_to(user).select_related("agency").prefetch_related("categories", "criteria")


def solicitation_get(*, user: User, solicitation_id: int) -> Solicitation:
    solicitation = solicitation_list(user=user).filter(pk=solicitation_id).first()
    if solicitation is None:
        raise NotFound("Solicitation not found.")
    return solicitation


def application_with_relations(applications: QuerySet[Application]) -> QuerySet[Application]:
    return applications.select_related("case", "case__organization", "solicitation", "category")


def application_with_participants(applications: QuerySet[Application]) -> QuerySet[Application]:
    """What an application's page and detail answer show: its relations and its case's participants."""
    participants = Participant.objects.select_related("organization")
    return application_with_relations(applications).prefetch_related(
        Prefetch("case__participations", queryset=participants)
    )


def application_list(*, user: User, action: str = VIEW) -> QuerySet[Application]:
    return application_with_relations(Application.objects.visible_to(user, action))


def application_get(*, user: User, application_id: int, action: str = VIEW) -> Application:
    application = (
        application_with_participants(Application.objects.visible_to(user, action)).filter(pk=application_id).first()
    )
    if application is None:
        raise NotFound("Application not found.")
    return application


def applicant_organizations(*, application: Application) -> list[Organization]:
    """The lead and the co-applicants: the organizations that must each sign."""
    return [
        participant.organization
        for participant in application.case.participations.all()
        if participant.role in APPLICANT_ROLES
    ]


def application_next_deadline(application: Application, now: datetime | None = None) -> tuple[str, datetime] | None:
    """The next deadline the applicant must meet, as (step, deadline); None once it is submitted."""
    if application.case.stage != "draft":
        return None
    solicitation = application.solicitation
    now = now or timezone.now()
    if application.grants_gov_submitted_at is None and now <= solicitation.grants_gov_deadline:
        return "Grants.gov", solicitation.grants_gov_deadline
    return "JustGrants", solicitation.justgrants_deadline


def newest_document_id(application: Application) -> int:
    return Document.objects.filter(case_id=application.case_id).aggregate(newest=Max("id"))["newest"] or 0


def signoffs_current(*, application: Application, newest_document: int | None = None) -> list[ApplicationSignoff]:
    """Sign-offs of the version as it is now: this revision and no document uploaded since."""
    newest = newest_document_id(application) if newest_document is None else newest_document
    return list(
        application.signoffs.filter(revision=application.revision, documents_through=newest).select_related(
            "organization", "user"
        )
    )


@dataclass(frozen=True)
class Requirement:
    key: str
    label: str
    done: bool
    detail: str = ""


@dataclass
class Readiness:
    items: list[Requirement]
    signoffs: list[ApplicationSignoff] = field(default_factory=list)
    waiting_for: list[Organization] = field(default_factory=list)

    # The content every organization certifies; signing and the Grants.gov step come on top.
    STEPS = ("grants_gov", "signoffs")

    @property
    def done(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def content_ready(self) -> bool:
        return all(item.done for item in self.items if item.key not in self.STEPS)

    @property
    def ready(self) -> bool:
        return all(item.done for item in self.items)

    def missing(self, *, content_only: bool = False) -> list[str]:
        return [
            item.detail or item.label
            for item in self.items
            if not item.done and not (content_only and item.key in self.STEPS)
        ]


def _check(key: str, label: str, problem) -> Requirement:
    return Requirement(key, label, problem is None, problem.message if problem else "")


def _partners_requirement(organizations: list[Organization]) -> Requirement:
    kinds = {organization.kind for organization in organizations}
    lacking = []
    if not kinds & JUSTICE_KINDS:
        lacking.append("a justice agency (law enforcement or government)")
    if not kinds & MENTAL_HEALTH_KINDS:
        lacking.append("a behavioral health agency")
    detail = f"Add {' and '.join(lacking)} as co-applicant." if lacking else ""
    return Requirement(
        "partners", "A justice agency and a behavioral health agency apply together", not lacking, detail
    )


def application_readiness(*, application: Application) -> Readiness:
    """What a submission needs, item by item, and what is missing (a handful of queries, whatever the size)."""
    solicitation, category = application.solicitation, application.category
    case = application.case
    items = [
        Requirement(
            "abstract",
            "Project abstract",
            bool(application.abstract.strip()),
            "" if application.abstract.strip() else "Write the project abstract.",
        ),
        _check(
            "amount",
            f"Amount requested within the ceiling ({money(category.award_ceiling)})",
            amount_problem(application.amount_requested, category),
        ),
        _check(
            "period",
            f"Project dates within the {category.period_months}-month period of performance",
            period_problem(application.project_start, application.project_end, category, solicitation),
        ),
    ]
    lines = [YearLine(y.year, y.federal_amount, y.match_amount) for y in application.budget_years.all()]
    problems = budget_problems(
        lines,
        amount=application.amount_requested,
        category=category,
        start=application.project_start,
        end=application.project_end,
    )
    items.append(
        Requirement(
            "budget",
            f"Budget by project year with the match schedule ({category.match_schedule_text})",
            not problems,
            " ".join(problem.message for problem in problems),
        )
    )
    organizations = applicant_organizations(application=application)
    items.append(_partners_requirement(organizations))
    documents = list(
        Document.objects.filter(case=case, visibility__in=SHARED_WITH_BJA).values_list("kind", "content_type")
    )
    for kind in solicitation.required_document_kinds:
        accepted = ACCEPTED_TYPES.get(kind, ())
        found = any(k == kind and content_type in accepted for k, content_type in documents)
        detail = "" if found else f"Upload the {kind_phrase(kind)} ({accepted_type_names(kind)})."
        items.append(Requirement(f"document:{kind}", kind_label(kind), found, detail))
    items.append(
        Requirement(
            "grants_gov",
            "Grants.gov step (SF-424 and SF-LLL) recorded",
            application.grants_gov_submitted_at is not None,
            "" if application.grants_gov_submitted_at else "Record the Grants.gov step (SF-424 and SF-LLL).",
        )
    )
    signoffs = signoffs_current(application=application)
    signed = {signoff.organization_id for signoff in signoffs}
    waiting = [organization for organization in organizations if organization.id not in signed]
    names = ", ".join(organization.name for organization in waiting)
    items.append(
        Requirement(
            "signoffs",
            "Every applicant organization's admin signed this version",
            not waiting,
            f"Waiting for the sign-off of {names}." if waiting else "",
        )
    )
    return Readiness(items=items, signoffs=signoffs, waiting_for=waiting)
