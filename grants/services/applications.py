"""Applicants write their application: start it, fill it, budget it, add co-applicants, attach documents."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import Membership, Organization, Role, User
from config.errors import Conflict, NotFound, ServiceError
from grants.models import Application, BudgetYear, Category, DocumentKind, Solicitation
from grants.rules import (
    ACCEPTED_TYPES,
    APPLICATION_KIND,
    CO_APPLICANT_KINDS,
    accepted_type_names,
    administers_lead,
    deadline_text,
    kind_phrase,
    on_time,
)
from grants.services.common import (
    APPLICATION_NOT_FOUND,
    APPLICATION_RELATED,
    case_object_lock,
    content_changed,
    expect_stage,
    refuse_unless,
)
from grants.validation import YearLine, amount_problem, budget_problems, period_problem
from reminders.services.handoffs import waiting_refresh
from workflow import document_changes, documents, participants, services
from workflow.access import EDIT, MANAGE, case_require
from workflow.models import Document, ParticipantRole, Visibility

CONTENT_FIELDS = ("title", "category", "abstract", "amount_requested", "project_start", "project_end")


def _co_applicant_kind(organization: Organization) -> None:
    if organization.kind not in CO_APPLICANT_KINDS:
        raise ServiceError(
            f"{organization.name} is a {organization.get_kind_display().lower()}: a co-applicant must be a justice "
            "agency (law enforcement or government) or a behavioral health agency.",
            field="organization",
            code="co_applicant_kind",
        )
    if not organization.is_active:
        raise ServiceError(f"{organization.name} is no longer active.", field="organization", code="inactive")


def _category(solicitation: Solicitation, category: Category | int) -> Category:
    category_id = category.pk if isinstance(category, Category) else category
    found = solicitation.categories.filter(pk=category_id).first()
    if found is None:
        raise ServiceError("Choose a category of this solicitation.", field="category", code="invalid_category")
    return found


@transaction.atomic
def application_create(
    *,
    solicitation: Solicitation,
    organization: Organization,
    actor: User,
    title: str,
    category: Category | int,
    co_applicants: list[Organization] = (),
) -> Application:
    """Start a draft application led by `organization`, with its co-applicants, for a published solicitation."""
    if not Solicitation.objects.visible_to(actor).filter(pk=solicitation.pk, published_at__isnull=False).exists():
        raise NotFound("Solicitation not found.")
    working = Membership.objects.active().filter(
        user=actor, organization=organization, role__in=[Role.ADMIN, Role.MEMBER]
    )
    refuse_unless(working.exists(), "Start an application for an organization where you are an admin or member.")
    if organization.kind not in solicitation.eligible_lead_kinds:
        raise ServiceError(
            f"A {organization.get_kind_display().lower()} cannot be the lead applicant of this solicitation; "
            "it may take part as a co-applicant.",
            field="organization",
            code="lead_kind",
        )
    if not on_time(solicitation.justgrants_deadline):
        raise Conflict(
            f"This solicitation closed at its JustGrants deadline, "
            f"{deadline_text(solicitation.justgrants_deadline, solicitation.time_zone)}.",
            code="deadline_passed",
        )
    category = _category(solicitation, category)
    if not title or not title.strip():
        raise ServiceError("Give the application a title.", field="title", code="required")
    for other in co_applicants:
        _co_applicant_kind(other)
    case = services.case_create(
        kind=APPLICATION_KIND,
        title=title.strip(),
        organization=organization,
        actor=actor,
        participants={other: ParticipantRole.CO_APPLICANT for other in co_applicants if other != organization},
    )
    application = Application(case=case, solicitation=solicitation, category=category)
    application.full_clean()
    application.save()
    # The draft's waiting item opened with the case, before its deadline was known: give it the clock.
    waiting_refresh(case=case)
    return application


@transaction.atomic
def application_update(*, application: Application, actor: User, **fields) -> Application:
    """Change the application's content. Each value is checked against the category's rules before anything saves."""
    application = case_object_lock(application, related=APPLICATION_RELATED)
    refusal = "Only the applicants' staff change the application."
    case_require(user=actor, case=application.case, action=EDIT, message=refusal, not_found=APPLICATION_NOT_FOUND)
    expect_stage(application, ("draft",), "change the application")
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise ServiceError(f"Unknown fields: {', '.join(sorted(unknown))}.", code="unknown_field")
    case = application.case
    before = _content(application)
    if "title" in fields:
        if not (fields["title"] or "").strip():
            raise ServiceError("Give the application a title.", field="title", code="required")
        case.title = fields.pop("title").strip()
    if "category" in fields:
        fields["category"] = _category(application.solicitation, fields["category"])
    for name, value in fields.items():
        setattr(application, name, value)
    if application.amount_requested is not None:
        problem = amount_problem(application.amount_requested, application.category)
        if problem:
            raise problem
    if application.project_start and application.project_end:
        problem = period_problem(
            application.project_start, application.project_end, application.category, application.solicitation
        )
        if problem:
            raise problem
    application.full_clean(exclude=["case"])
    after = _content(application)
    changed = sorted(name for name in CONTENT_FIELDS if before[name] != after[name])
    if not changed:
        # Saving the same version again is not a new version: the signatures given stand.
        return application
    case.save(update_fields=["title"])
    application.save()
    content_changed(application)
    services.event_record(case=case, actor=actor, verb="application.updated", data={"fields": changed})
    return application


def _content(application: Application) -> dict:
    values = {name: getattr(application, name) for name in CONTENT_FIELDS if name not in ("title", "category")}
    return values | {"title": application.case.title, "category": application.category_id}


@transaction.atomic
def budget_set(*, application: Application, actor: User, years: list[dict]) -> list[BudgetYear]:
    """Replace the budget: federal request and committed match for each project year."""
    application = case_object_lock(application, related=APPLICATION_RELATED)
    refusal = "Only the applicants' staff change the budget."
    case_require(user=actor, case=application.case, action=EDIT, message=refusal, not_found=APPLICATION_NOT_FOUND)
    expect_stage(application, ("draft",), "change the budget")
    try:
        lines = [
            YearLine(int(line["year"]), Decimal(str(line["federal_amount"])), Decimal(str(line["match_amount"])))
            for line in years
        ]
    except (KeyError, TypeError, ValueError, ArithmeticError):
        raise ServiceError(
            "Each budget year needs a year, a federal amount and a match amount.", field="budget", code="invalid"
        ) from None
    problems = budget_problems(
        lines,
        amount=application.amount_requested,
        category=application.category,
        start=application.project_start,
        end=application.project_end,
    )
    if problems:
        first = problems[0]
        raise ServiceError(" ".join(problem.message for problem in problems), field=first.field, code=first.code)
    application.budget_years.all().delete()
    rows = BudgetYear.objects.bulk_create(
        BudgetYear(
            application=application, year=line.year, federal_amount=line.federal_amount, match_amount=line.match_amount
        )
        for line in lines
    )
    content_changed(application)
    services.event_record(case=application.case, actor=actor, verb="budget.updated", data={"years": len(rows)})
    return rows


@transaction.atomic
def co_applicant_add(*, application: Application, organization: Organization, actor: User) -> Application:
    application = case_object_lock(application, related=APPLICATION_RELATED)
    refusal = "Only an admin of the lead applicant adds co-applicants."
    case_require(user=actor, case=application.case, action=MANAGE, message=refusal, not_found=APPLICATION_NOT_FOUND)
    refuse_unless(administers_lead(actor, application.case), refusal)
    expect_stage(application, ("draft",), "add a co-applicant")
    _co_applicant_kind(organization)
    services.participant_add(
        case=application.case, organization=organization, role=ParticipantRole.CO_APPLICANT, actor=actor
    )
    content_changed(application)
    return application


@transaction.atomic
def co_applicant_remove(
    *, application: Application, organization: Organization, actor: User, reason: str
) -> Application:
    """The lead's admin takes a co-applicant added by mistake off a draft, saying why; its staff lose access at once.

    What the applicants certify changed: every signature given so far is for an older version."""
    application = _co_applicants_changing(application, actor, "remove a co-applicant")
    participants.participant_remove(
        case=application.case, organization=organization, actor=actor, reason=reason, domain=True
    )
    content_changed(application)
    return application


@transaction.atomic
def co_applicant_restore(*, application: Application, organization: Organization, actor: User) -> Application:
    """Add back a co-applicant removed by mistake, while the application is a draft (it signs again)."""
    application = _co_applicants_changing(application, actor, "add a co-applicant back")
    _co_applicant_kind(organization)
    participants.participant_restore(case=application.case, organization=organization, actor=actor, domain=True)
    content_changed(application)
    return application


def _co_applicants_changing(application: Application, actor: User, doing: str) -> Application:
    application = case_object_lock(application, related=APPLICATION_RELATED)
    co_applicant_changes_require(application=application, actor=actor, doing=doing)
    return application


def co_applicant_changes_require(*, application: Application, actor: User, doing: str) -> None:
    """Who changes the co-applicants, and when: the lead's admin, while the application is a draft."""
    refusal = "Only an admin of the lead applicant changes the co-applicants."
    case_require(user=actor, case=application.case, action=MANAGE, message=refusal, not_found=APPLICATION_NOT_FOUND)
    refuse_unless(administers_lead(actor, application.case), refusal)
    expect_stage(application, ("draft",), doing)


@transaction.atomic
def application_document_upload(*, application: Application, actor: User, upload: UploadedFile, kind: str) -> Document:
    """Attach a document of one of the application's kinds, in a file type that kind accepts."""
    application = case_object_lock(application, related=APPLICATION_RELATED)
    refusal = "Only the applicants' staff attach documents."
    case_require(user=actor, case=application.case, action=EDIT, message=refusal, not_found=APPLICATION_NOT_FOUND)
    expect_stage(application, ("draft",), "attach a document")
    if kind not in DocumentKind.values:
        raise ServiceError(f"“{kind}” is not a kind of application document.", field="kind", code="document_kind")
    name, content_type = documents.document_validate(upload)
    if content_type not in ACCEPTED_TYPES[kind]:
        shown = documents.TYPE_WORDS.get(content_type, "a file of another type")
        raise ServiceError(
            f"The {kind_phrase(kind)} must be {accepted_type_names(kind)}; “{name}” is {shown}.",
            field="file",
            code="document_type",
        )
    # Attachments are read by every applicant and by BJA: that is what makes them part of the application.
    document = documents.document_upload(
        case=application.case, actor=actor, upload=upload, kind=kind, visibility=Visibility.ALL, domain=True
    )
    content_changed(application)
    return document


def application_document_withdrawable(*, application: Application, document: Document, actor: User) -> None:
    """Who withdraws an attachment, and when: the organization that attached it, while the application is a draft."""
    refusal = "Only the applicants' staff withdraw attachments."
    case_require(user=actor, case=application.case, action=EDIT, message=refusal, not_found=APPLICATION_NOT_FOUND)
    if document.case_id != application.case_id:
        raise NotFound("Document not found.")
    expect_stage(application, ("draft",), "withdraw an attachment")
    document_changes.document_withdrawable(document=document, actor=actor, domain=True)


@transaction.atomic
def application_document_withdraw(
    *, application: Application, document: Document, actor: User, reason: str
) -> Document:
    """Withdraw an attachment of a draft, saying why; it leaves the lists and downloads (site staff keep it).

    What the applicants certify changed: every signature given so far is for an older version."""
    application = case_object_lock(application, related=APPLICATION_RELATED)
    application_document_withdrawable(application=application, document=document, actor=actor)
    withdrawn = document_changes.document_withdraw(document=document, actor=actor, reason=reason, domain=True)
    content_changed(application)
    return withdrawn
