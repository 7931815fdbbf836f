"""Correcting what a partner wrote, on a page of its own: an agreement's title."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from partnerships.forms import AgreementTitleForm
from partnerships.models import Agreement
from partnerships.services.corrections import agreement_title_correct
from partnerships.views import _back, _partnership, run


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
