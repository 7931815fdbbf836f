"""Demo data: an open FY Connect and Protect solicitation and a draft application by the demo police
department with the behavioral health provider (settings.DEMO_LOADERS; needs accounts.demo first).

Deadlines follow DOJ's pattern: Grants.gov on a Thursday in late April at 11:59:59 PM Eastern, JustGrants a
week later at 8:59:59 PM Eastern. The next such April at least a month away is used, so the demo always has
an open solicitation; its fiscal year is the one those deadlines fall in.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_DOMAIN, ORGANIZATIONS
from accounts.models import Organization, User
from grants import services
from grants.models import Application, DocumentKind, Program, Solicitation
from grants.rules import period_last_day

EASTERN = ZoneInfo("America/New_York")
CRITERIA = [
    ("Description of the issue", 20, "The problem, the population and the gaps in the current response."),
    ("Project design and implementation", 35, "The response model, the partners' roles, the planning phase."),
    ("Capabilities and competencies", 25, "Staff, governance and the partners' track record together."),
    ("Plan for collecting performance data", 10, "Data on calls, dispositions, linkages and outcomes."),
    ("Budget", 10, "Complete, cost-effective, allowable, with the required match."),
]
ABSTRACT = (
    "The Springfield Police Department and Prairie Behavioral Health Center will pair crisis intervention "
    "team officers with licensed clinicians on every shift, add 911 call-taker triage for behavioral health "
    "calls, and follow up within 72 hours with people referred to treatment. A planning phase with the "
    "county's justice and health leaders comes first; the program serves the City of Springfield."
)
BUDGET = [(1, "180000.00", "45000.00"), (2, "180000.00", "45000.00"), (3, "180000.00", "120000.00")]


def _deadlines(today: date) -> tuple[datetime, datetime]:
    year = today.year
    while True:
        grants_gov = _last_weekday(year, 4, 3) - timedelta(days=7)  # The Thursday a week before April's last.
        if grants_gov - today >= timedelta(days=30):
            break
        year += 1
    justgrants = grants_gov + timedelta(days=7)
    return (
        datetime(grants_gov.year, grants_gov.month, grants_gov.day, 23, 59, 59, tzinfo=EASTERN),
        datetime(justgrants.year, justgrants.month, justgrants.day, 20, 59, 59, tzinfo=EASTERN),
    )


def _last_weekday(year: int, month: int, weekday: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    while day.weekday() != weekday:
        day -= timedelta(days=1)
    return day


def demo_pdf(title: str) -> bytes:
    """A one-page PDF that says what it stands for."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def demo_worksheet() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Budget detail"
    sheet.append(["Project year", "Federal request", "Match committed"])
    for year, federal, match in BUDGET:
        sheet.append([year, float(federal), float(match)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _user(local_part: str) -> User:
    return User.objects.get(email=f"{local_part}@{DEMO_DOMAIN}")


def _organization(key: str) -> Organization:
    spec = next(spec for spec in ORGANIZATIONS if spec.key == key)
    return Organization.objects.get(name=spec.name, state=spec.state)


def _solicitation(manager: User, bja: Organization) -> tuple[Solicitation, int]:
    grants_gov, justgrants = _deadlines(timezone.localdate())
    fiscal_year = justgrants.year + (1 if justgrants.month >= 10 else 0)
    number = f"O-BJA-{fiscal_year}-172345"
    existing = Solicitation.objects.filter(number=number).first()
    if existing:
        return existing, 0
    solicitation = services.solicitation_create(
        actor=manager,
        agency=bja,
        program=Program.CONNECT_AND_PROTECT,
        fiscal_year=fiscal_year,
        number=number,
        title="Connect and Protect: Law Enforcement Behavioral Health Response Program",
        summary=(
            "Supports law enforcement and behavioral health partnerships that improve the response to people "
            "with mental illness or co-occurring disorders (JMHCP, Assistance Listing 16.745). Awards up to "
            "$550,000 for 36 months; the applicants share the cost: 20% in years 1 and 2, 40% in year 3."
        ),
        time_zone="America/New_York",
        grants_gov_deadline=grants_gov,
        justgrants_deadline=justgrants,
        earliest_project_start=date(fiscal_year, 10, 1),
    )
    categories = [
        ("1", "Planning and implementation of a new response program", True),
        ("2", "Expansion and enhancement of an existing response program", False),
    ]
    for code, title, planning in categories:
        services.category_add(
            solicitation=solicitation,
            actor=manager,
            code=code,
            title=title,
            award_ceiling=Decimal("550000"),
            period_months=36,
            match_schedule=[20, 20, 40],
            planning_required=planning,
            planning_cap=Decimal("100000") if planning else None,
            planning_months=8 if planning else None,
        )
    for title, weight, description in CRITERIA:
        services.criterion_add(
            solicitation=solicitation, actor=manager, title=title, weight=weight, description=description
        )
    services.solicitation_publish(solicitation=solicitation, actor=manager)
    return solicitation, 1 + len(categories) + len(CRITERIA)


def _application(solicitation: Solicitation, police: Organization, partner: Organization) -> int:
    if Application.objects.filter(solicitation=solicitation, case__organization=police).exists():
        return 0
    coordinator = _user("police.admin")
    application = services.application_create(
        solicitation=solicitation,
        organization=police,
        actor=coordinator,
        title="Springfield 911 Triage and Clinician Response",
        category=solicitation.categories.get(code="1"),
        co_applicants=[partner],
    )
    start = solicitation.earliest_project_start
    services.application_update(
        application=application,
        actor=coordinator,
        abstract=ABSTRACT,
        amount_requested=Decimal("540000.00"),
        project_start=start,
        project_end=period_last_day(start, 36),
    )
    services.budget_set(
        application=application,
        actor=coordinator,
        years=[{"year": y, "federal_amount": f, "match_amount": m} for y, f, m in BUDGET],
    )
    # The MOU and the letters of support are still missing: the partners finish them together.
    files = [
        (DocumentKind.PROGRAM_NARRATIVE, "Program narrative.pdf", demo_pdf("Program narrative")),
        (DocumentKind.BUDGET_WORKSHEET, "Budget detail worksheet.xlsx", demo_worksheet()),
        (DocumentKind.BUDGET_NARRATIVE, "Budget narrative.pdf", demo_pdf("Budget narrative")),
        (DocumentKind.TIMELINE, "Timeline and goals.pdf", demo_pdf("Timeline and goals")),
    ]
    for kind, name, content in files:
        services.application_document_upload(
            application=application, actor=coordinator, upload=SimpleUploadedFile(name, content), kind=kind
        )
    return 1 + len(BUDGET) + len(files)


def _next_round(manager: User, bja: Organization, current: Solicitation) -> int:
    """Next year's JMHCP solicitation, which BJA is still drafting (applicants do not see it)."""
    fiscal_year = current.fiscal_year + 1
    number = f"O-BJA-{fiscal_year}-172790"
    if Solicitation.objects.filter(number=number).exists():
        return 0
    grants_gov, justgrants = _deadlines(current.justgrants_deadline.date() + timedelta(days=1))  # The next April.
    solicitation = services.solicitation_create(
        actor=manager,
        agency=bja,
        program=Program.JMHCP,
        fiscal_year=fiscal_year,
        number=number,
        title="Justice and Mental Health Collaboration Program",
        summary="Draft: categories for local, tribal and state applicants are still being written.",
        time_zone="America/New_York",
        grants_gov_deadline=grants_gov,
        justgrants_deadline=justgrants,
        earliest_project_start=date(fiscal_year, 10, 1),
    )
    services.category_add(
        solicitation=solicitation,
        actor=manager,
        code="1",
        title="Local",
        award_ceiling=Decimal("550000"),
        period_months=36,
        match_schedule=[20, 20, 40],
        planning_required=True,
        planning_cap=Decimal("100000"),
        planning_months=8,
    )
    return 2


@transaction.atomic
def load() -> int:
    """Create what is missing; leave what exists alone. Returns how many rows were created."""
    manager, bja = _user("bja.manager"), _organization("bja")
    solicitation, created = _solicitation(manager, bja)
    created += _next_round(manager, bja, solicitation)
    return created + _application(solicitation, _organization("pd"), _organization("bh"))
