"""Undoing a mistake on an application: a co-applicant removed (and added back) by the lead's admin, an attachment
withdrawn by the organization that attached it, a silent peer reviewer removed by the grant manager. Each is a
confirmation page (``config.confirm``) linked from the application page: it says what happens and asks why; nothing
is taken away in one click."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods

from accounts.models import Organization, User
from config.confirm import Confirmation, confirm_page
from grants import services
from grants.models import Application
from grants.services import review_changes
from grants.services.applications import application_document_withdrawable, co_applicant_changes_require
from grants.views.applications import _application, _url
from workflow.models import Document
from workflow.participants import participant_removable, participant_restorable

PAGE_METHODS = ["GET", "HEAD", "POST"]


def _back(application: Application, anchor: str) -> tuple[str, str]:
    return _url(application, anchor), application.case.title


@login_required
@require_http_methods(PAGE_METHODS)
def co_applicant_remove(request: HttpRequest, application_id: int, organization_id: int) -> HttpResponse:
    application, organization = (
        _application(request, application_id),
        get_object_or_404(Organization, pk=organization_id),
    )
    title = application.case.title

    def allowed() -> None:
        co_applicant_changes_require(application=application, actor=request.user, doing="remove a co-applicant")
        participant_removable(case=application.case, organization=organization, actor=request.user)

    confirmation = Confirmation(
        title=f"Remove {organization} from the application",
        happens=(
            f"{organization} stops being a co-applicant of “{title}”: from this moment its staff no longer see the "
            "application. The application changes, so every applicant signs the new version. You can add it back "
            "while the application is a draft."
        ),
        lasting="The signatures given so far are for the old version: adding it back does not bring them back.",
        button="Remove the co-applicant",
        back=_back(application, "co-applicants"),
        reason="Why is it removed?",
    )
    return confirm_page(
        request,
        confirmation,
        allowed=allowed,
        call=lambda reason: services.co_applicant_remove(
            application=application, organization=organization, actor=request.user, reason=reason
        ),
        done=lambda _: f"{organization} was removed from the application; its staff no longer see it.",
        then=lambda _: _url(application, "co-applicants"),
    )


@login_required
@require_http_methods(PAGE_METHODS)
def co_applicant_restore(request: HttpRequest, application_id: int, organization_id: int) -> HttpResponse:
    application, organization = (
        _application(request, application_id),
        get_object_or_404(Organization, pk=organization_id),
    )

    def allowed() -> None:
        co_applicant_changes_require(application=application, actor=request.user, doing="add a co-applicant back")
        participant_restorable(case=application.case, organization=organization, actor=request.user)

    confirmation = Confirmation(
        title=f"Add {organization} back to the application",
        happens=(
            f"{organization} becomes a co-applicant of “{application.case.title}” again: its staff see the "
            "application from this moment, and its admin signs it with the others."
        ),
        button="Add it back",
        back=_back(application, "co-applicants"),
        destructive=False,
    )
    return confirm_page(
        request,
        confirmation,
        allowed=allowed,
        call=lambda _: services.co_applicant_restore(
            application=application, organization=organization, actor=request.user
        ),
        done=lambda _: f"{organization} is a co-applicant again. Every applicant signs the new version.",
        then=lambda _: _url(application, "co-applicants"),
    )


@login_required
@require_http_methods(PAGE_METHODS)
def reviewer_remove(request: HttpRequest, application_id: int, reviewer_id: int) -> HttpResponse:
    """The grant manager takes a silent reviewer off the application (then assigns another)."""
    application = _application(request, application_id)
    reviewer = User.objects.filter(pk=reviewer_id).first()
    if reviewer is None:
        raise Http404("Reviewer not found.")
    confirmation = Confirmation(
        title=f"Remove {reviewer} from the peer review",
        happens=(
            f"{reviewer} no longer reviews “{application.case.title}”: from this moment they cannot see or score it. "
            "Assign another peer reviewer afterwards."
        ),
        lasting="Their draft scores and comments, if any, are deleted; assigning them again starts a new review.",
        button="Remove the reviewer",
        back=_back(application, "peer-review"),
        reason="Why do they no longer review it?",
        reason_hint="Kept for BJA's staff; applicants do not see reviewers.",
    )
    return confirm_page(
        request,
        confirmation,
        allowed=lambda: review_changes.reviewer_removable(
            application=application, reviewer=reviewer, actor=request.user
        ),
        call=lambda reason: review_changes.reviewer_remove(
            application=application, reviewer=reviewer, actor=request.user, reason=reason
        ),
        done=lambda _: f"{reviewer} no longer reviews this application. Assign another reviewer.",
        then=lambda _: _url(application, "peer-review"),
    )


@login_required
@require_http_methods(PAGE_METHODS)
def document_withdraw(request: HttpRequest, application_id: int, document_id: int) -> HttpResponse:
    application = _application(request, application_id)
    document = Document.objects.readable_by(request.user).filter(case=application.case, pk=document_id).first()
    if document is None:
        raise Http404("Document not found.")
    name = document.original_name
    confirmation = Confirmation(
        title=f"Withdraw “{name}”",
        happens=(
            "It leaves the application's documents and downloads for everyone but site staff, who keep it for the "
            "record; the timeline says who withdrew it and why. The application changes, so every applicant signs "
            "the new version. Attach the right file afterwards if one is needed."
        ),
        lasting="A withdrawn attachment cannot be put back; you would attach the file again.",
        button="Withdraw the attachment",
        back=_back(application, "attachments"),
        reason="Why is it withdrawn?",
    )
    return confirm_page(
        request,
        confirmation,
        allowed=lambda: application_document_withdrawable(
            application=application, document=document, actor=request.user
        ),
        call=lambda reason: services.application_document_withdraw(
            application=application, document=document, actor=request.user, reason=reason
        ),
        done=lambda _: f"“{name}” was withdrawn. Every applicant signs the new version.",
        then=lambda _: _url(application, "attachments"),
    )
