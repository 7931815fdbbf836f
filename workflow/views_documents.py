"""Pages that undo a mistake on a case: withdraw or replace a document, site staff's redaction, a note corrected."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from config.errors import NotAllowed, ServiceError
from config.forms import apply_error
from config.refusals import REFUSALS, refusal
from workflow import corrections, document_changes, selectors
from workflow.forms import DocumentChangeForm, NoteCorrectionForm, RedactionForm
from workflow.models import Case, Document, Milestone


def _document(request: HttpRequest, case_id: int, document_id: int) -> tuple[Case, Document]:
    """The case and one of its documents as this user reads them: 404 for anything else."""
    try:
        case = selectors.case_get(user=request.user, case_id=case_id)
    except Case.DoesNotExist:
        raise Http404("Case not found.") from None
    document = Document.objects.readable_by(request.user).filter(case=case, pk=document_id).first()
    if document is None:
        raise Http404("Document not found.")
    return case, document


@login_required
@require_http_methods(["GET", "POST"])
def document_change(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    """Withdraw a document or replace it with a new version (the organization that uploaded it)."""
    case, document = _document(request, case_id, document_id)
    try:  # As on every confirmation page (config.confirm): who may not act is refused already on GET.
        document_changes.document_withdrawable(document=document, actor=request.user)
    except ServiceError as error:
        return refusal(request, error, back=case)
    form = DocumentChangeForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["file"]:
                    new = document_changes.document_replace(
                        document=document, actor=request.user, upload=data["file"], reason=data["reason"]
                    )
                    done = f"“{document.original_name}” was replaced by “{new.original_name}”."
                else:
                    document_changes.document_withdraw(document=document, actor=request.user, reason=data["reason"])
                    done = f"“{document.original_name}” was withdrawn."
            except REFUSALS as error:
                return refusal(request, error, back=case)
            except (ServiceError, ValidationError) as error:
                apply_error(form, error)
            else:
                messages.success(request, done)
                return redirect(case.get_absolute_url())
    context = {"case": case, "document": document, "form": form}
    return render(request, "workflow/document_change.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def document_redact(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    """Site staff confirm, with a reason, the redaction of a file that carried client information."""
    # Site staff redact on any case (they may not take part in it); to anyone else there is nothing here.
    if request.user.is_staff:
        document = Document.objects.select_related("case").filter(case_id=case_id, pk=document_id).first()
        if document is None:
            raise Http404("Document not found.")
        case = document.case
    else:
        case, document = _document(request, case_id, document_id)
        return refusal(request, NotAllowed("Only site staff can redact a document."), back=case)
    if document.redacted_at is not None:
        messages.info(request, "This document has already been redacted.")
        return redirect(case.get_absolute_url())
    form = RedactionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                document_changes.document_redact(
                    document=document, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except REFUSALS as error:
                return refusal(request, error, back=case)
            except ServiceError as error:
                apply_error(form, error)
            else:
                messages.success(request, "The document was redacted: its file and its name are gone.")
                return redirect(case.get_absolute_url())
    context = {
        "case": case,
        "what": "a document",
        "text": document.original_name,
        "consequence": "Its file is deleted, its name becomes “redacted” on the case, in the timeline's earlier "
        "entries and in the notifications that quoted it, and it is withdrawn.",
        "form": form,
        "back_url": case.get_absolute_url(),
    }
    return render(request, "workflow/redaction_confirm.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_note_correct(request: HttpRequest, case_id: int, milestone_id: int) -> HttpResponse:
    """Correct a submitted milestone's evidence note (the submitter's organization)."""
    try:
        case = selectors.case_get(user=request.user, case_id=case_id)
    except Case.DoesNotExist:
        raise Http404("Case not found.") from None
    milestone = Milestone.objects.filter(case=case, pk=milestone_id).first()
    if milestone is None:
        raise Http404("Milestone not found.")
    form = NoteCorrectionForm(request.POST or None, initial={"note": milestone.note})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                corrections.milestone_note_correct(
                    milestone=milestone, actor=request.user, note=form.cleaned_data["note"]
                )
            except REFUSALS as error:
                return refusal(request, error, back=case)
            except (ServiceError, ValidationError) as error:
                apply_error(form, error)
            else:
                messages.success(request, f"The note on “{milestone.title}” was corrected.")
                return redirect(case.get_absolute_url())
    context = {
        "form": form,
        "heading": f"Correct the note on “{milestone.title}”",
        "back_url": case.get_absolute_url(),
        "back_label": case.title,
    }
    return render(request, "correction.html", context, status=status)
