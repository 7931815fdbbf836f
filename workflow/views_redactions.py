"""Site staff's redaction of a free text, confirmed on a page of its own (no JavaScript): what goes, why, and that it
cannot be undone."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from config.errors import NotFound, ServiceError
from config.forms import apply_error
from config.refusals import REFUSALS, refusal
from workflow import redactions
from workflow.forms import RedactionForm
from workflow.models import Case


def back_url_of(request: HttpRequest, case: Case) -> str:
    """Where the page was opened from (a same-site path), else the case page."""
    wanted = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if wanted and safe else case.get_absolute_url()


@login_required
@require_http_methods(["GET", "POST"])
def text_redact(request: HttpRequest, case_id: int, target: str, object_id: int, field: str) -> HttpResponse:
    # Site staff redact on any case (they may not take part in it); to anyone else it is 404 or 403 as for any case.
    case = Case.objects.filter(pk=case_id).first()
    try:
        if case is None:
            raise NotFound("Case not found.")
        redactions.redaction_require(actor=request.user, case=case)
    except REFUSALS as error:
        return refusal(request, error, back=case)
    entry = redactions.redactables.find(target, field)
    row = redactions.redactable_row(entry, case=case, object_id=object_id) if entry else None
    if row is None:
        raise Http404("Nothing to redact here.")
    back_url = back_url_of(request, case)
    form = RedactionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                redactions.text_redact(
                    case=case,
                    actor=request.user,
                    target=target,
                    object_id=object_id,
                    field=field,
                    reason=form.cleaned_data["reason"],
                )
            except REFUSALS as error:
                return refusal(request, error, back=case)
            except (ServiceError, ValidationError) as error:
                apply_error(form, error)
            else:
                messages.success(request, f"Redacted: {entry.label} now reads “{redactions.MARKER}”.")
                return redirect(back_url)
    context = {
        "case": case,
        "what": entry.label,
        "text": getattr(row, field) or "",
        "consequence": f"The text is replaced by “{redactions.MARKER}” here, in the timeline's earlier entries that "
        "carried it and in the notifications that quoted it.",
        "form": form,
        "back_url": back_url,
    }
    return render(request, "workflow/redaction_confirm.html", context, status=status)
