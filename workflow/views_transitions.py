"""The confirmation page of a transition that needs a reason or cannot be undone (it works without JavaScript).

GET shows what the transition does, the sentence saying what cannot be undone and the comment field; POST
fires it through the transition service, which checks the comment and the confirmation again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from config.errors import NotAllowed, ServiceError
from config.forms import apply_error
from config.refusals import REFUSALS, refusal
from workflow import selectors, services
from workflow.forms import TransitionConfirmForm
from workflow.models import Case


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_transition_confirm(request: HttpRequest, case_id: int, name: str) -> HttpResponse:
    try:
        case = selectors.case_get(user=request.user, case_id=case_id)
    except Case.DoesNotExist:
        raise Http404("Case not found.") from None
    transition = case.machine.transition(name)
    available = {t.name: t for t in selectors.case_available_transitions(case=case, user=request.user)}
    if transition is None or name not in available:
        if transition is None:
            raise Http404("No such transition.")
        return refusal(request, NotAllowed(f"You may not “{transition.label}” on this case."), back=case)
    form = TransitionConfirmForm(
        request.POST if request.method == "POST" else None,
        transition=transition,
        case=case,
        initial={"expected_version": case.version},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.case_transition(
                case=case,
                name=name,
                actor=request.user,
                comment=form.cleaned_data["comment"],
                confirm=form.cleaned_data.get("confirm", False),
                expected_version=form.cleaned_data.get("expected_version"),
            )
        except REFUSALS as error:
            return refusal(request, error, back=case)
        except ServiceError as error:
            apply_error(form, error)
            status = error.status
        else:
            messages.success(request, f"The case moved to {moved.stage_label}.")
            return redirect(moved.get_absolute_url())
    elif request.method == "POST":
        status = 400
    context = {
        "case": case,
        "transition": transition,
        "target_label": case.machine.stage(transition.target).label,
        "blocked": available[name].reasons,
        "form": form,
    }
    return render(request, "workflow/transition_confirm.html", context, status=status)
