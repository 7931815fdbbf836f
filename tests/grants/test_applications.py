"""Preparing an application together: its content is checked against the category's rules, a refused change
changes nothing, and the checklist says live what a submission still needs."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import OrganizationKind, Role
from config.errors import Conflict, NotAllowed, ServiceError
from grants import selectors, services
from grants.models import Application, ApplicationSignoff, BudgetYear, DocumentKind
from tests import factories
from tests.grants import flow
from workflow.models import Document, Participant


def _snapshot(application):
    application.refresh_from_db()
    return (
        Application.objects.filter(pk=application.pk).values().get(),
        list(BudgetYear.objects.values()),
        list(Document.objects.values("id")),
        list(Participant.objects.values("organization_id", "role")),
    )


@pytest.mark.parametrize(
    "change, code, words",
    [
        ({"amount_requested": Decimal("550000.01")}, "above_ceiling", "above the award ceiling of category 1"),
        ({"project_end": flow.project_start() + timedelta(days=3 * 365 + 1)}, "outside_period", "36-month period"),
        ({"project_start": flow.project_start() - timedelta(days=1)}, "outside_period", "cannot start before"),
        ({"project_end": flow.project_start() - timedelta(days=1)}, "end_before_start", "end after it starts"),
        ({"title": " "}, "required", "title"),
    ],
)
def test_content_outside_the_categorys_rules_is_refused_and_nothing_changes(application, admin, change, code, words):
    flow.fill(application, admin)
    before = _snapshot(application)
    with pytest.raises(ServiceError) as refused:
        services.application_update(application=application, actor=admin, **change)
    assert refused.value.code == code and words in refused.value.message
    assert _snapshot(application) == before


def test_match_below_the_schedule_is_refused_naming_the_year_and_the_rule(application, admin):
    flow.fill(application, admin)
    before = _snapshot(application)
    low = [dict(line) for line in flow.BUDGET]
    low[2]["match_amount"] = "119999.99"  # Year 3 needs 40% of the year's total: 120,000 on 180,000 federal.
    with pytest.raises(ServiceError) as refused:
        services.budget_set(application=application, actor=admin, years=low)
    assert refused.value.code == "match_below_schedule"
    assert "Year 3" in refused.value.message and "at least 40.0%" in refused.value.message
    assert _snapshot(application) == before


@pytest.mark.parametrize(
    "years, code",
    [
        (flow.BUDGET[:2], "budget_years"),
        ([{**flow.BUDGET[0], "federal_amount": "1"}, *flow.BUDGET[1:]], "budget_total"),
        ([{"year": 1}], "invalid"),
    ],
)
def test_a_budget_must_cover_every_project_year_and_add_up(application, admin, years, code):
    flow.fill(application, admin)
    with pytest.raises(ServiceError) as refused:
        services.budget_set(application=application, actor=admin, years=years)
    assert refused.value.code == code


def test_a_budget_needs_the_project_dates_first(application, admin):
    with pytest.raises(ServiceError) as refused:
        services.budget_set(application=application, actor=admin, years=flow.BUDGET)
    assert refused.value.code == "dates_first"


def test_a_federal_or_other_organization_cannot_be_a_co_applicant(application, admin, bja):
    before = _snapshot(application)
    other = factories.OrganizationFactory(name="Friends of the Library", kind=OrganizationKind.OTHER)
    for organization in (bja, other):
        with pytest.raises(ServiceError) as refused:
            services.co_applicant_add(application=application, organization=organization, actor=admin)
        assert refused.value.code == "co_applicant_kind"
    assert _snapshot(application) == before


def test_only_the_lead_applicants_admin_adds_co_applicants(solicitation, organization, admin, member, bh_admin):
    application = flow.application_start(solicitation=solicitation, lead=organization, actor=member)
    county = factories.OrganizationFactory(name="Sangamon County", kind=OrganizationKind.GOVERNMENT)
    with pytest.raises(NotAllowed):
        services.co_applicant_add(application=application, organization=county, actor=member)
    services.co_applicant_add(application=application, organization=county, actor=admin)
    assert application.case.participations.filter(organization=county, role="co_applicant").exists()


def test_a_behavioral_health_provider_cannot_lead_a_connect_and_protect_application(solicitation, bh_org, bh_admin):
    with pytest.raises(ServiceError) as refused:
        flow.application_start(solicitation=solicitation, lead=bh_org, actor=bh_admin)
    assert refused.value.code == "lead_kind"
    assert not Application.objects.exists()


def test_a_viewer_cannot_start_or_change_an_application(solicitation, organization, application, viewer):
    with pytest.raises(NotAllowed):
        flow.application_start(solicitation=solicitation, lead=organization, actor=viewer)
    with pytest.raises(NotAllowed):
        services.application_update(application=application, actor=viewer, abstract="x")


@pytest.mark.parametrize(
    "name, content, kind, code",
    [
        ("narrative.png", flow.PNG, DocumentKind.PROGRAM_NARRATIVE, "document_type"),
        ("mou.docx", None, DocumentKind.MOU, "document_type"),
        ("narrative.pdf", flow.PDF, "budget", "document_kind"),
        ("narrative.pdf", b"\x7fELF" + b"\x00" * 60, DocumentKind.PROGRAM_NARRATIVE, "content_mismatch"),
    ],
)
def test_a_document_of_the_wrong_kind_or_type_is_refused(application, admin, name, content, kind, code):
    if content is None:  # A real Word file: a kind that accepts only PDF refuses it.
        content = _docx()
    with pytest.raises(ServiceError) as refused:
        services.application_document_upload(
            application=application, actor=admin, upload=SimpleUploadedFile(name, content), kind=kind
        )
    assert refused.value.code == code
    assert not Document.objects.exists()


def _docx() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_the_checklist_shows_what_is_missing_live(application, admin, bh_admin):
    readiness = selectors.application_readiness(application=application)
    missing = {item.key for item in readiness.items if not item.done}
    assert {"abstract", "amount", "period", "budget", "grants_gov", "signoffs"} <= missing
    assert "partners" not in missing  # Police and behavioral health: both kinds take part.
    flow.fill(application, admin)
    flow.attach_required(application, admin)
    readiness = selectors.application_readiness(application=application)
    assert readiness.content_ready and not readiness.ready
    assert [item.key for item in readiness.items if not item.done] == ["grants_gov", "signoffs"]
    assert readiness.done == readiness.total - 2


def test_a_missing_required_document_blocks_signing_and_submission(application, admin, bh_admin):
    flow.fill(application, admin)
    for kind in application.solicitation.required_document_kinds:
        if kind != DocumentKind.MOU:
            upload = flow.xlsx() if kind == DocumentKind.BUDGET_WORKSHEET else flow.pdf()
            services.application_document_upload(application=application, actor=admin, upload=upload, kind=kind)
    with pytest.raises(Conflict) as refused:
        services.application_sign(application=application, actor=admin)
    assert refused.value.code == "not_ready" and "MOU or letter of intent" in refused.value.message
    services.grants_gov_record(application=application, actor=admin)
    with pytest.raises(Conflict) as refused:
        services.application_submit(application=application, actor=admin)
    assert "Upload the MOU or letter of intent (PDF)." in refused.value.message
    assert flow.fresh(application).case.stage == "draft"


def test_submission_needs_a_justice_and_a_behavioral_health_agency(solicitation, organization, admin):
    application = flow.application_start(solicitation=solicitation, lead=organization, actor=admin)
    flow.fill(application, admin)
    flow.attach_required(application, admin)
    readiness = selectors.application_readiness(application=application)
    partners = next(item for item in readiness.items if item.key == "partners")
    assert not partners.done and "behavioral health agency" in partners.detail
    with pytest.raises(Conflict):
        services.application_sign(application=application, actor=admin)


def test_each_applicant_admin_signs_and_a_change_needs_new_signatures(application, admin, member, bh_admin):
    flow.fill(application, admin)
    flow.attach_required(application, admin)
    with pytest.raises(NotAllowed):
        services.application_sign(application=application, actor=member)  # Members do not sign.
    flow.sign(application, admin, bh_admin)
    with pytest.raises(Conflict) as refused:
        services.application_sign(application=application, actor=admin)
    assert refused.value.code == "already_signed"
    assert not selectors.application_readiness(application=application).waiting_for
    services.application_update(application=application, actor=member, abstract="A better abstract.")
    waiting = selectors.application_readiness(application=flow.fresh(application)).waiting_for
    assert [org.name for org in waiting] == ["Springfield Police Department", "Prairie Behavioral Health"]
    flow.sign(application, admin, bh_admin)
    services.application_document_upload(
        application=application, actor=bh_admin, upload=flow.pdf("Second letter.pdf"), kind="letters_of_support"
    )
    assert len(selectors.application_readiness(application=flow.fresh(application)).waiting_for) == 2
    assert ApplicationSignoff.objects.count() == 4


def test_only_the_lead_applicant_submits(application, admin, bh_admin):
    flow.prepare(application, admin, bh_admin)
    with pytest.raises(NotAllowed):
        services.application_submit(application=application, actor=bh_admin)
    services.application_submit(application=application, actor=admin)
    assert flow.fresh(application).case.stage == "submitted"


def test_submission_records_both_steps_and_lets_bja_in(application, admin, bh_admin, bja, grant_manager):
    assert not selectors.application_list(user=grant_manager).exists()  # BJA does not see drafts.
    flow.submit(application, admin, bh_admin)
    assert application.grants_gov_submitted_at <= application.submitted_at
    assert application.submission_round == 1
    assert application.case.participations.filter(organization=bja, role="reviewer").exists()
    assert list(selectors.application_list(user=grant_manager)) == [application]


def test_nothing_changes_once_submitted(submitted, admin):
    with pytest.raises(Conflict) as refused:
        services.application_update(application=submitted, actor=admin, abstract="Late change")
    assert refused.value.code == "wrong_stage"


def test_a_member_of_another_organization_sees_nothing(application, outsider):
    assert not selectors.application_list(user=outsider).exists()
    member_elsewhere = factories.member_of(factories.OrganizationFactory(), Role.ADMIN)
    with pytest.raises(Exception) as refused:
        services.application_update(application=application, actor=member_elsewhere, abstract="x")
    assert refused.value.status == 404
