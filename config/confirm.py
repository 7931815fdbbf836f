"""The confirmation page of an undo: one helper, one template (`templates/confirm.html`), no JavaScript.

A button that removes, deletes, withdraws or takes access away is a link to this page. GET says what will happen
and what cannot be undone, with a reason field when the service takes one; POST runs the service. A refusal gets
the refusal page (``config.refusals``) on GET as on POST, so a page nobody may act on is never shown; bad input
and conflicts come back beside the field, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from config.errors import ServiceError
from config.forms import apply_error
from config.phi import GuardedFormMixin
from config.refusals import REFUSALS, refusal


class ReasonForm(GuardedFormMixin, forms.Form):
    """Why: kept in the event the service records, so it is free text like any other (the client information guard)."""

    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label: str, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text


@dataclass(frozen=True)
class Confirmation:
    title: str  # The page's heading: "Remove Prairie Behavioral Health from the application".
    happens: str  # What the step does, in a sentence or two.
    button: str  # The submit button's words: "Remove the co-applicant".
    back: tuple[str, str]  # (url, label): the breadcrumb, Cancel, and the refusal page's way back.
    lasting: str = ""  # What cannot be undone; shown as a warning.
    reason: str = ""  # The reason field's label when the service takes a reason; empty: none is asked.
    reason_hint: str = "Kept in the timeline. Never write client names, dates of birth, record numbers or diagnoses."
    destructive: bool = True  # The button in the colour of a step that takes something away.


def confirm_page(
    request: HttpRequest,
    confirmation: Confirmation,
    *,
    call: Callable[[str], object],
    done: Callable[[object], str],
    then: Callable[[object], str],
    allowed: Callable[[], None] | None = None,
) -> HttpResponse:
    """`allowed()` raises the service's refusal before the page is shown; `call(reason)` does the step (the reason
    is "" when none is asked); `done(result)` is the message after it and `then(result)` the address to go to."""
    try:
        if allowed is not None:
            allowed()
    except ServiceError as error:  # Not allowed, or not possible now (a published solicitation): say why.
        return refusal(request, error, back=confirmation.back)
    data = request.POST if request.method == "POST" else None
    form = (
        ReasonForm(data, label=confirmation.reason, help_text=confirmation.reason_hint)
        if confirmation.reason
        else forms.Form(data)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = call(form.cleaned_data.get("reason", ""))
            except REFUSALS as error:
                return refusal(request, error, back=confirmation.back)
            except (ServiceError, ValidationError) as error:
                apply_error(form, error)
                status = error.status if isinstance(error, ServiceError) else 400
            else:
                messages.success(request, done(result))
                return redirect(then(result))
    context = {"confirmation": confirmation, "form": form, "back_url": confirmation.back[0]}
    return render(request, "confirm.html", context, status=status)
