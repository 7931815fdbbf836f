"""Server-rendered case pages: the case list, the case page and the forms on it.

The case page is made of section templates (``workflow/sections/``) that a
domain app can include in its own pages with the context from
``case_page_context``. Every form posts to an endpoint here that calls one
service; the services decide what is allowed. An outsider gets 404, a refused
action the refusal page (``config.refusals``), any other error comes back to the
case page as a message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST, require_safe

from config.errors import NotFound, ServiceError
from config.forms import apply_error
from config.paging import page_context
from config.refusals import REFUSALS, refusal
from workflow import checklists, document_changes, documents, selectors, services
from workflow.access import (
    EDIT,
    MANAGE,
    REVIEW,
    acting_organizations,
    case_rights,
    rights_scope,
    visible_count_rows,
)
from workflow.api import document_response
from workflow.corrections import author_organizations
from workflow.forms import (
    CaseFilterForm,
    DocumentUploadForm,
    MilestoneDecisionForm,
    MilestoneSubmitForm,
    TransitionForm,
)
from workflow.models import Case, Document, Milestone, MilestoneStatus

CASES_PER_PAGE = 25
SUBMITTABLE = (MilestoneStatus.OPEN, MilestoneStatus.CHANGES_REQUESTED)


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    # Dates and "due today" are in the viewing user's time zone: config.middleware.UserTimeZoneMiddleware.
    return render(request, template, context, status=status)


def _case(request: HttpRequest, case_id: int) -> Case:
    try:
        return selectors.case_get(user=request.user, case_id=case_id)
    except Case.DoesNotExist:
        raise Http404("Case not found.") from None


def _back(case: Case) -> HttpResponse:
    """After an action, back to the page the case lives on (its domain app's page when it has one)."""
    return redirect(case.get_absolute_url())


@require_safe
@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    cases = selectors.case_list(user=request.user).prefetch_related(None).order_by("-opened_at", "-id")
    chosen = {name: value for name, value in form.cleaned_data.items() if value} if form.is_valid() else {}
    cases = cases.filter(**chosen)
    # Unfiltered, the list holds exactly the user's reach: counting those index entries stops at the cap, where
    # counting cases walks them (a grant manager's first 1,001 of 13,000: 35 ms).
    counted = None if chosen else visible_count_rows(request.user)
    context = {"form": form, **page_context(request, cases, CASES_PER_PAGE, counted=counted)}
    return _render(request, "workflow/case_list.html", context)


@dataclass
class MilestoneRow:
    """A milestone as the checklist section shows it: what it is, who signed, and which forms to offer."""

    milestone: Milestone
    owned_by_domain: str = ""
    signoffs: list = field(default_factory=list)
    waiting_for: list = field(default_factory=list)
    can_submit: bool = False
    can_decide: bool = False
    own_submission: bool = False
    sign_for: list = field(default_factory=list)
    can_correct_note: bool = False  # The reader works for the organization that submitted its note.


def _milestone_rows(*, case: Case, milestones: list[Milestone], user, rights: set[str]) -> list[MilestoneRow]:
    """Which forms to show. The services check again; this only keeps useless buttons off the page."""
    parties = {
        participant.organization_id: participant.organization
        for participant in case.participations.all()
        if participant.role in checklists.PARTY_ROLES
    }
    signing: list = []
    if EDIT in rights and any(m.joint and m.status != MilestoneStatus.APPROVED for m in milestones):
        signing = [org for org in acting_organizations(user=user, case=case) if org.id in parties]
    owned = checklists.milestones_owned(case=case, milestones=milestones)
    noted = [m for m in milestones if m.note and m.submitted_by_id]
    ours = {org.pk for org in acting_organizations(user=user, case=case)} if EDIT in rights and noted else set()
    authors = author_organizations(m.submitted_by_id for m in noted) if ours else {}
    rows = []
    for milestone in milestones:
        row = MilestoneRow(milestone, owned_by_domain=owned.get(milestone.pk, ""))
        row.can_correct_note = bool(ours & authors.get(milestone.submitted_by_id, set()))
        if row.owned_by_domain:  # Its own page offers its steps; a button here would only be refused.
            rows.append(row)
            continue
        row.can_submit = EDIT in rights and milestone.status in SUBMITTABLE
        decider = REVIEW if milestone.needs_bja_approval else MANAGE
        if milestone.status == MilestoneStatus.SUBMITTED and decider in rights:
            row.own_submission = milestone.submitted_by_id == user.pk
            row.can_decide = not row.own_submission
        if milestone.joint:
            row.signoffs = list(milestone.signoffs.all())
            signed = {signoff.organization_id for signoff in row.signoffs}
            row.waiting_for = [org for org_id, org in parties.items() if org_id not in signed]
            if milestone.status != MilestoneStatus.APPROVED:
                row.sign_for = [org for org in signing if org.id not in signed][:1]
        rows.append(row)
    return rows


def _checklists(rows: list[MilestoneRow], progress: list[selectors.Progress]) -> list[dict]:
    by_template: dict = {}
    for row in rows:
        template = row.milestone.template
        by_template.setdefault(template.key if template else None, []).append(row)
    return [{"progress": item, "rows": by_template.get(item.template_key, [])} for item in progress]


def case_page_context(*, request: HttpRequest, case: Case, upload_form: DocumentUploadForm | None = None) -> dict:
    """Everything the section templates need, in a constant number of queries (however long the history)."""
    user = request.user
    rights = case_rights(user=user, case=case)
    milestones = list(selectors.milestone_list(case=case))
    rows = _milestone_rows(case=case, milestones=milestones, user=user, rights=rights)
    visible_documents = list(
        Document.objects.visible_to(user)
        .filter(case=case)
        .select_related("uploaded_by", "organization", "milestone")
        .order_by("-uploaded_at", "-id")
    )
    # "Withdraw or replace" only where it would be accepted: the uploading organization's, where the engine changes
    # this kind's documents (an application's attachments are withdrawn on the application's page).
    ours = set()
    if EDIT in rights and document_changes.document_changeable_here(case):
        ours = {organization.pk for organization in acting_organizations(user=user, case=case)}
    stages = selectors.stage_bar(case=case)
    return {
        "case": case,
        "rights": rights,
        "can_edit": EDIT in rights,
        "stages": stages,
        "stage_position": next((i for i, stage in enumerate(stages, 1) if stage["state"] == "current"), None),
        "transitions": selectors.case_available_transitions(case=case, user=user, rights=rights),
        "checklists": _checklists(rows, selectors.milestone_progress(case=case)),
        "documents": visible_documents,
        # A redacted document's name is gone from the timeline too, even for site staff.
        "visible_document_ids": {document.pk for document in visible_documents if document.redacted_at is None},
        "changeable_document_ids": {
            document.pk
            for document in visible_documents
            if document.organization_id in ours and document.withdrawn_at is None
        },
        # The upload form only where it would be accepted (an application's attachments: on the application's page).
        "can_upload": EDIT in rights and documents.document_uploadable_here(case),
        "upload_form": upload_form or DocumentUploadForm(milestones=milestones),
        "timeline": list(selectors.case_timeline(case=case, user=user, rights=rights)),
        "case_sections": [
            section
            for path in settings.CASE_PAGE_SECTIONS
            if (section := import_string(path)(request=request, case=case, rights=rights))
        ],
    }


@require_safe
@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    return _render(request, "workflow/case_detail.html", case_page_context(request=request, case=case))


def _act(request: HttpRequest, case: Case, action: Callable[[], object], *, done: Callable[[object], str]):
    """Run one service call and come back to the case page with what happened."""
    try:
        result = action()
    except REFUSALS as error:
        return refusal(request, error, back=case)
    except ServiceError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done(result))
    return _back(case)


def _invalid(request: HttpRequest, case: Case, form) -> HttpResponse:
    problems = [f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()]
    messages.error(request, "The form was not accepted. " + " ".join(problems))
    return _back(case)


@login_required
@require_POST
def case_transition(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, form)
    return _act(
        request,
        case,
        lambda: services.case_transition(case=case, actor=request.user, **form.cleaned_data),
        done=lambda moved: f"The case moved to {moved.stage_label}.",
    )


def _milestone_action(
    request: HttpRequest, case_id: int, milestone_id: int, *, form_class, service, done: Callable[[Milestone], str]
) -> HttpResponse:
    case = _case(request, case_id)
    milestone = get_object_or_404(Milestone, case=case, pk=milestone_id)
    form = form_class(request.POST)
    if not form.is_valid():
        return _invalid(request, case, form)
    return _act(
        request,
        case,
        lambda: checklists.milestone_act_generic(service, milestone=milestone, actor=request.user, **form.cleaned_data),
        done=lambda _: done(milestone),
    )


@login_required
@require_POST
def milestone_submit(request: HttpRequest, case_id: int, milestone_id: int) -> HttpResponse:
    return _milestone_action(
        request,
        case_id,
        milestone_id,
        form_class=MilestoneSubmitForm,
        service=checklists.milestone_submit,
        done=lambda milestone: f"“{milestone.title}” was submitted for approval.",
    )


@login_required
@require_POST
def milestone_approve(request: HttpRequest, case_id: int, milestone_id: int) -> HttpResponse:
    return _milestone_action(
        request,
        case_id,
        milestone_id,
        form_class=MilestoneDecisionForm,
        service=checklists.milestone_approve,
        done=lambda milestone: f"“{milestone.title}” was approved.",
    )


@login_required
@require_POST
def milestone_request_changes(request: HttpRequest, case_id: int, milestone_id: int) -> HttpResponse:
    return _milestone_action(
        request,
        case_id,
        milestone_id,
        form_class=MilestoneDecisionForm,
        service=checklists.milestone_request_changes,
        done=lambda milestone: f"Changes to “{milestone.title}” were requested.",
    )


@login_required
@require_POST
def milestone_sign_off(request: HttpRequest, case_id: int, milestone_id: int) -> HttpResponse:
    case = _case(request, case_id)
    milestone = get_object_or_404(Milestone, case=case, pk=milestone_id)
    return _act(
        request,
        case,
        lambda: checklists.milestone_act_generic(
            checklists.milestone_sign_off, milestone=milestone, actor=request.user
        ),
        done=lambda signoff: f"You signed “{milestone.title}” for {signoff.organization}.",
    )


@login_required
@require_POST
def document_upload(request: HttpRequest, case_id: int) -> HttpResponse:
    # As a viewset does: the service's own check reuses the rights checked here, one query per upload.
    with rights_scope():
        return _document_upload(request, case_id)


def _document_upload(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    try:  # Who may not upload here is refused before the file is read (a domain app's kind: 409, naming its page).
        documents.document_uploadable(case=case, actor=request.user)
    except ServiceError as error:
        return refusal(request, error, back=case)
    milestones = list(Milestone.objects.filter(case=case).order_by("order", "id"))
    form = DocumentUploadForm(request.POST, request.FILES, milestones=milestones)
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = documents.document_upload(
                case=case,
                actor=request.user,
                upload=data["file"],
                kind=data["kind"],
                visibility=data["visibility"],
                milestone=next((m for m in milestones if m.pk == data["milestone"]), None),
            )
        except REFUSALS as error:
            return refusal(request, error, back=case)
        except (ServiceError, ValidationError) as error:
            apply_error(form, error)
        else:
            messages.success(request, f"“{document.original_name}” was uploaded.")
            return _back(case)
    context = case_page_context(request=request, case=case, upload_form=form)
    return _render(request, "workflow/case_detail.html", context, status=400)


@require_safe
@login_required
def document_download(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    case = _case(request, case_id)
    try:
        document = documents.document_get_for_user(user=request.user, document_id=document_id)
    except NotFound:
        raise Http404("Document not found.") from None
    if document.case_id != case.pk:
        raise Http404("Document not found.")
    return document_response(document)
