"""Steps of the pre-award story as plain functions, so each test starts from the stage it is about."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grants import services
from grants.models import Application, DocumentKind, Outcome, Solicitation
from grants.rules import period_last_day
from workflow.services import case_transition

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
CRITERIA = [
    ("Description of the issue", 20),
    ("Project design and implementation", 35),
    ("Capabilities and competencies", 25),
    ("Plan for collecting performance data", 10),
    ("Budget", 10),
]
AMOUNT = Decimal("540000.00")
# Match as a share of each year's total cost: 20% (years 1-2) and 40% (year 3) of federal + match.
BUDGET = [
    {"year": 1, "federal_amount": "180000.00", "match_amount": "45000.00"},
    {"year": 2, "federal_amount": "180000.00", "match_amount": "45000.00"},
    {"year": 3, "federal_amount": "180000.00", "match_amount": "120000.00"},
]


def fresh(application: Application) -> Application:
    """The caller's object after a service changed the rows (services work on their own locked copies)."""
    application.refresh_from_db()
    application.case.refresh_from_db()
    return application


def pdf(name: str = "file.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF)


def xlsx(name: str = "budget.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Budget detail worksheet"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def project_start() -> date:
    return date(timezone.localdate().year + 1, 10, 1)


def solicitation_publish(*, agency, manager, grants_gov=None, justgrants=None, time_zone="America/New_York"):
    now = timezone.now()
    solicitation = services.solicitation_create(
        actor=manager,
        agency=agency,
        program="connect_and_protect",
        fiscal_year=timezone.localdate().year + 1,
        number=f"O-BJA-TEST-{Solicitation.objects.count() + 1:04d}",
        title="Connect and Protect: Law Enforcement Behavioral Health Response Program",
        time_zone=time_zone,
        grants_gov_deadline=grants_gov or now + timedelta(days=10),
        justgrants_deadline=justgrants or now + timedelta(days=17),
        earliest_project_start=project_start(),
    )
    services.category_add(
        solicitation=solicitation,
        actor=manager,
        code="1",
        title="Planning and implementation",
        award_ceiling=Decimal("550000"),
        period_months=36,
        match_schedule=[20, 20, 40],
        planning_required=True,
        planning_cap=Decimal("100000"),
        planning_months=8,
    )
    for title, weight in CRITERIA:
        services.criterion_add(solicitation=solicitation, actor=manager, title=title, weight=weight)
    return services.solicitation_publish(solicitation=solicitation, actor=manager)


def application_start(*, solicitation, lead, actor, co_applicants=(), title="Springfield co-responder program"):
    return services.application_create(
        solicitation=solicitation,
        organization=lead,
        actor=actor,
        title=title,
        category=solicitation.categories.get(code="1"),
        co_applicants=list(co_applicants),
    )


def fill(application: Application, actor) -> Application:
    start = project_start()
    services.application_update(
        application=application,
        actor=actor,
        abstract="Co-responder teams pair officers with clinicians on every shift.",
        amount_requested=AMOUNT,
        project_start=start,
        project_end=period_last_day(start, 36),
    )
    services.budget_set(application=application, actor=actor, years=BUDGET)
    return fresh(application)


def attach_required(application: Application, actor) -> None:
    for kind in application.solicitation.required_document_kinds:
        upload = xlsx() if kind == DocumentKind.BUDGET_WORKSHEET else pdf(f"{kind}.pdf")
        services.application_document_upload(application=application, actor=actor, upload=upload, kind=kind)
    fresh(application)


def sign(application: Application, *admins) -> None:
    for admin in admins:
        services.application_sign(application=application, actor=admin)
    fresh(application)


def prepare(application: Application, lead_admin, co_admin) -> Application:
    """Filled, documented, Grants.gov step recorded and signed by both: ready to submit."""
    fill(application, lead_admin)
    attach_required(application, lead_admin)
    services.grants_gov_record(application=application, actor=lead_admin)
    sign(application, lead_admin, co_admin)
    return fresh(application)


def submit(application: Application, lead_admin, co_admin) -> Application:
    prepare(application, lead_admin, co_admin)
    services.application_submit(application=application, actor=lead_admin)
    return fresh(application)


def to_completeness_review(application: Application, manager) -> Application:
    case_transition(case=application.case, name="begin_completeness_review", actor=manager)
    return fresh(application)


def to_peer_review(application: Application, manager) -> Application:
    to_completeness_review(application, manager)
    services.completeness_record(application=application, actor=manager, complete=True)
    return fresh(application)


def scores_for(application: Application, fraction: Decimal) -> dict:
    return {
        criterion.pk: {"score": str((criterion.weight * fraction).quantize(Decimal("0.01"))), "comment": "Solid."}
        for criterion in application.solicitation.criteria.all()
    }


def review(application: Application, manager, reviewer, fraction: Decimal = Decimal("0.8")):
    services.reviewer_assign(application=application, reviewer=reviewer, actor=manager)
    services.review_declare(application=application, actor=reviewer, no_conflict=True)
    return services.review_submit(application=application, actor=reviewer, scores=scores_for(application, fraction))


def to_decision(application: Application, manager) -> Application:
    for name in ("close_peer_review", "complete_financial_review"):
        case_transition(case=application.case, name=name, actor=manager)
    return fresh(application)


def award(application: Application, manager, amount: Decimal = AMOUNT):
    return services.decision_record(
        application=application, actor=manager, outcome=Outcome.AWARDED, amount=amount, conditions="Budget clearance."
    )
