"""Application pages: the application and every form on it. Each form posts here and calls one service."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from accounts.models import User
from grants import forms, selectors, services
from grants.models import Application, Outcome
from grants.rules import project_years
from grants.services import review_changes
from grants.views.application_page import application_page
from grants.views.common import form_action, found, message_and, run


def _application(request: HttpRequest, application_id: int) -> Application:
    return found(lambda: selectors.application_get(user=request.user, application_id=application_id))


def _url(application: Application, anchor: str = "") -> str:
    return reverse("grants-application", args=[application.pk]) + (f"#{anchor}" if anchor else "")


def _back(application: Application) -> tuple[str, str]:
    return _url(application), application.case.title


@require_safe
@login_required
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    return application_page(request, _application(request, application_id))


def _form_action(
    request: HttpRequest,
    application_id: int,
    *,
    key: str,
    make_form: Callable[[Application], object],
    call: Callable[[Application, object], object],
    done: Callable[[object], str],
    anchor: str,
    goes_to: Callable[[object], str | None] | None = None,
) -> HttpResponse:
    """`goes_to(result)`: where to go after success when not back to the application (None: back to it)."""
    application = _application(request, application_id)
    return form_action(
        request,
        form=make_form(application),
        call=lambda form: call(application, form),
        done=done,
        success=lambda result: redirect((goes_to and goes_to(result)) or _url(application, anchor)),
        render_with=lambda form: application_page(request, application, {key: form}, status=400),
        back=_back(application),
    )


def _button_action(
    request: HttpRequest, application_id: int, *, call: Callable[[Application], object], done, anchor: str
) -> HttpResponse:
    """A button: a refusal is said above the page, which the person comes back to."""
    application = _application(request, application_id)
    return run(
        request,
        lambda: call(application),
        done=done,
        success=lambda _: redirect(_url(application, anchor)),
        failure=message_and(lambda: redirect(_url(application, anchor)), request),
        back=_back(application),
    )


@login_required
@require_POST
def application_update(request: HttpRequest, application_id: int) -> HttpResponse:
    before = {}

    def make_form(application: Application) -> forms.DetailsForm:
        before["revision"] = application.revision
        return forms.DetailsForm(request.POST, application=application)

    def done(saved: Application) -> str:
        if saved.revision == before["revision"]:
            return "Nothing changed: the application and its signatures stay as they were."
        return "The application was saved. Every applicant must sign this new version."

    return _form_action(
        request,
        application_id,
        key="details",
        make_form=make_form,
        call=lambda application, form: services.application_update(
            application=application, actor=request.user, **form.cleaned_data
        ),
        done=done,
        anchor="details",
    )


def _budget_form(request: HttpRequest, application: Application) -> forms.BudgetForm:
    start, end = application.project_start, application.project_end
    years = project_years(start, end) if start and end and end > start else 0
    return forms.BudgetForm(request.POST, years=years, lines={})


@login_required
@require_POST
def budget_update(request: HttpRequest, application_id: int) -> HttpResponse:
    return _form_action(
        request,
        application_id,
        key="budget",
        make_form=lambda application: _budget_form(request, application),
        call=lambda application, form: services.budget_set(
            application=application, actor=request.user, years=form.lines()
        ),
        done=lambda _: "The budget was saved.",
        anchor="budget",
    )


@login_required
@require_POST
def co_applicant_add(request: HttpRequest, application_id: int) -> HttpResponse:
    return _form_action(
        request,
        application_id,
        key="co_applicant",
        make_form=lambda _: forms.CoApplicantForm(request.POST, any_kind=True),
        call=lambda application, form: services.co_applicant_add(
            application=application, organization=form.cleaned_data["organization"], actor=request.user
        ),
        done=lambda _: "The co-applicant was added. Its admin must sign the application too.",
        anchor="co-applicants",
    )


@login_required
@require_POST
def document_upload(request: HttpRequest, application_id: int) -> HttpResponse:
    return _form_action(
        request,
        application_id,
        key="upload",
        make_form=lambda _: forms.UploadForm(request.POST, request.FILES),
        call=lambda application, form: services.application_document_upload(
            application=application,
            actor=request.user,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
        ),
        done=lambda document: f"“{document.original_name}” was attached.",
        anchor="attachments",
    )


@login_required
@require_POST
def application_sign(request: HttpRequest, application_id: int) -> HttpResponse:
    return _button_action(
        request,
        application_id,
        call=lambda application: services.application_sign(application=application, actor=request.user),
        done=lambda signoff: f"You signed the application for {signoff.organization}.",
        anchor="checklist",
    )


@login_required
@require_POST
def grants_gov_record(request: HttpRequest, application_id: int) -> HttpResponse:
    return _button_action(
        request,
        application_id,
        call=lambda application: services.grants_gov_record(application=application, actor=request.user),
        done=lambda _: "The Grants.gov step (SF-424 and SF-LLL) is recorded.",
        anchor="checklist",
    )


@login_required
@require_POST
def application_submit(request: HttpRequest, application_id: int) -> HttpResponse:
    form = forms.SubmitForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    return _button_action(
        request,
        application_id,
        call=lambda application: services.application_submit(
            application=application,
            actor=request.user,
            comment=data.get("comment", ""),
            expected_version=data.get("expected_version"),
        ),
        done=lambda _: "The application was submitted in JustGrants.",
        anchor="",
    )


@login_required
@require_POST
def completeness_record(request: HttpRequest, application_id: int) -> HttpResponse:
    return _form_action(
        request,
        application_id,
        key="completeness",
        make_form=lambda _: forms.CompletenessForm(request.POST),
        call=lambda application, form: services.completeness_record(
            application=application,
            actor=request.user,
            complete=form.cleaned_data["finding"] == "complete",
            reasons=form.cleaned_data["reasons"].splitlines(),
        ),
        done=lambda review: f"Completeness review recorded: {review.get_outcome_display().lower()}.",
        anchor="",
    )


@login_required
@require_POST
def reviewer_assign(request: HttpRequest, application_id: int) -> HttpResponse:
    return _form_action(
        request,
        application_id,
        key="assign",
        make_form=lambda _: forms.AssignForm(request.POST, reviewers=User.objects.filter(is_active=True)),
        call=lambda application, form: services.reviewer_assign(
            application=application, actor=request.user, **form.cleaned_data
        ),
        done=lambda assignment: (
            f"{assignment.reviewer} is assigned; the review is due {assignment.due_date:%b %d, %Y}."
        ),
        anchor="peer-review",
    )


@login_required
@require_POST
def review_declare(request: HttpRequest, application_id: int) -> HttpResponse:
    return _form_action(
        request,
        application_id,
        key="declaration",
        make_form=lambda _: forms.DeclarationForm(request.POST),
        call=lambda application, form: services.review_declare(
            application=application,
            actor=request.user,
            no_conflict=form.cleaned_data["declaration"] == "no_conflict",
            note=form.cleaned_data["note"],
        ),
        done=lambda assignment: (
            "You declared no conflict of interest: you may score the application."
            if assignment.status == "declared"
            else "You recused yourself from this review."
        ),
        anchor="peer-review",
        # A reviewer who recuses no longer sees the application: back to what waits on them instead of a 404.
        goes_to=lambda assignment: None if assignment.status == "declared" else reverse("queue"),
    )


@login_required
@require_POST
def review_submit(request: HttpRequest, application_id: int) -> HttpResponse:
    draft = "save_draft" in request.POST

    def make_form(application: Application) -> forms.ReviewForm:
        return forms.ReviewForm(request.POST, criteria=application.solicitation.criteria.all(), draft=draft)

    if draft:
        return _form_action(
            request,
            application_id,
            key="review",
            make_form=make_form,
            call=lambda application, form: review_changes.review_draft_save(
                application=application,
                actor=request.user,
                scores={pk: {k: v if v is not None else "" for k, v in e.items()} for pk, e in form.scores().items()},
                comment=form.cleaned_data["comment"],
            ),
            done=lambda _: "Your draft was saved. Only you see it until you submit.",
            anchor="peer-review",
        )
    return _form_action(
        request,
        application_id,
        key="review",
        make_form=make_form,
        call=lambda application, form: services.review_submit(
            application=application, actor=request.user, scores=form.scores(), comment=form.cleaned_data["comment"]
        ),
        done=lambda assignment: f"Your review was submitted: {assignment.total} of 100.",
        anchor="peer-review",
    )


# Outcome -> (the page's key for its form, the form, what to tell the grant manager).
DECISION_FORMS = {
    Outcome.AWARDED: ("award", forms.AwardForm, lambda decision: f"Awarded: ${decision.amount:,.2f}."),
    Outcome.NOT_FUNDED: ("not_funded", forms.NotFundedForm, lambda _: "The decision not to fund was recorded."),
}


def _decide(request: HttpRequest, application_id: int, outcome: str) -> HttpResponse:
    key, form_class, done = DECISION_FORMS[outcome]
    return _form_action(
        request,
        application_id,
        key=key,
        make_form=lambda _: form_class(request.POST),
        call=lambda application, form: services.decision_record(
            application=application, actor=request.user, outcome=outcome, **form.cleaned_data
        ),
        done=done,
        anchor="decision",
    )


@login_required
@require_POST
def decision_award(request: HttpRequest, application_id: int) -> HttpResponse:
    return _decide(request, application_id, Outcome.AWARDED)


@login_required
@require_POST
def decision_not_funded(request: HttpRequest, application_id: int) -> HttpResponse:
    return _decide(request, application_id, Outcome.NOT_FUNDED)
