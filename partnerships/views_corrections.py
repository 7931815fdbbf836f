"""Correcting what a partner wrote, on a page of its own: an agreement's title, an assessment answer's note."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from partnerships.forms import AgreementTitleForm, AssessmentNoteForm
from partnerships.models import Agreement, AssessmentAnswer
from partnerships.services.corrections import agreement_title_correct, assessment_note_correct
from partnerships.views import _assessment, _back, _partnership, run


@login_required
@require_http_methods(["GET", "POST"])
def agreement_title(request: HttpRequest, partnership_id: int, agreement_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id)
    agreement = Agreement.objects.filter(partnership=partnership, pk=agreement_id).first()
    if agreement is None:
        raise Http404("Agreement not found.")
    form = AgreementTitleForm(request.POST or None, initial={"title": agreement.title})
    context = {
        "form": form,
        "heading": f"Correct the title of “{agreement.title}”",
        "back_url": reverse("partnership-detail", args=[partnership.pk]) + "#agreements",
        "back_label": partnership.case.title,
    }
    page = lambda status: render(request, "correction.html", context, status=status)  # noqa: E731
    if request.method == "POST" and form.is_valid():
        return run(
            request,
            case=partnership.case,
            form=form,
            action=lambda: agreement_title_correct(agreement=agreement, actor=request.user, **form.cleaned_data),
            success=lambda corrected: f"The title is now “{corrected.title}”.",
            then=lambda _: _back(partnership, "#agreements"),
            on_error=lambda: page(400),
        )
    return page(400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_note(request: HttpRequest, partnership_id: int, assessment_id: int, answer_id: int) -> HttpResponse:
    """The assessed organization corrects one answer's note, even after submitting (its score is unchanged)."""
    partnership = _partnership(request, partnership_id)
    assessment = _assessment(request, partnership, assessment_id)
    answer = AssessmentAnswer.objects.select_related("item").filter(assessment=assessment, pk=answer_id).first()
    if answer is None:
        raise Http404("Answer not found.")
    form = AssessmentNoteForm(request.POST or None, initial={"note": answer.note})
    back_url = reverse("assessment-detail", args=[partnership.pk, assessment.pk]) + f"#item-{answer.item.order}"
    context = {
        "form": form,
        "heading": f"Correct the note on item {answer.item.order}: “{answer.item.text}”",
        "back_url": back_url,
        "back_label": f"{assessment.template.title}: {assessment.organization.name}",
    }
    page = lambda status: render(request, "correction.html", context, status=status)  # noqa: E731
    if request.method == "POST" and form.is_valid():
        return run(
            request,
            case=partnership.case,
            form=form,
            action=lambda: assessment_note_correct(answer=answer, actor=request.user, **form.cleaned_data),
            success=lambda corrected: f"The note on item {answer.item.order} was corrected.",
            then=lambda _: redirect(back_url),
            on_error=lambda: page(400),
        )
    return page(400 if request.method == "POST" else 200)
