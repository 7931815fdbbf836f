"""Undoing an upload: withdraw a document, replace it with a new version, or (site staff) redact it.

Nothing is deleted but a redacted file's bytes: a withdrawn or replaced document stays on the case for the
record, out of every list and download but site staff's (``DocumentQuerySet.readable_by``), and the timeline
says who withdrew it and why.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from config.errors import Conflict, NotAllowed, NotFound, ServiceError
from workflow.access import EDIT, acting_organizations, case_require
from workflow.documents import document_upload
from workflow.models import Case, Document, Visibility
from workflow.redactions import Carried, copies_scrub, events_scrub, reason_check
from workflow.services import event_record

REDACTED_NAME = "redacted"
# Where earlier events carried a document's name: its upload and withdrawal, and the withdrawal of the version it
# replaced.
NAME_CARRIED = (
    Carried("document", ("name",), verbs=("document.uploaded", "document.withdrawn")),
    Carried("replaced_by", ("replaced_by_name",), verbs=("document.withdrawn",)),
)
# Case kinds whose documents are part of what a domain app certifies (an application's attachments, signed by every
# applicant): withdrawing one is that app's step, which checks its own rules, passes `domain=True` and does what else
# the change means (the applicants sign again). The generic endpoints and page answer 409 `domain_documents` for
# them, so there is one path. The app adds its kind from AppConfig.ready(), saying where; the engine does not know it.
CHANGED_THROUGH_DOMAIN: dict[str, str] = {}


def _locked(document: Document) -> Document:
    locked = Document.objects.select_for_update(of=("self",)).select_related("case").filter(pk=document.pk).first()
    if locked is None:
        raise NotFound("Document not found.")
    return locked


def _require_author(*, document: Document, actor: User, domain: bool = False) -> None:
    """Who may withdraw a document: a member with the edit right in the organization that uploaded it, through the
    door its case kind has (``CHANGED_THROUGH_DOMAIN``)."""
    case_require(
        user=actor, case=document.case, action=EDIT, message="Only participants who work on the case can do this."
    )
    if not Document.objects.readable_by(actor).filter(pk=document.pk).exists():
        raise NotFound("Document not found.")
    if document.organization not in acting_organizations(user=actor, case=document.case):
        raise NotAllowed(f"Only {document.organization} can withdraw or replace this document.")
    if document.withdrawn_at is not None:
        raise Conflict("This document has already been withdrawn.", code="withdrawn")
    where = CHANGED_THROUGH_DOMAIN.get(document.case.kind)
    if where and not domain:
        raise Conflict(f"Change this document from {where}.", code="domain_documents")


def document_withdrawable(*, document: Document, actor: User, domain: bool = False) -> None:
    """What a withdrawal checks before it writes, for a page that asks it before offering the step."""
    _require_author(document=document, actor=actor, domain=domain)


def document_changeable_here(case: Case) -> bool:
    """Whether the generic page offers "Withdraw or replace" on this case's documents (not where a domain app
    changes them: its own page does)."""
    return case.kind not in CHANGED_THROUGH_DOMAIN


def _withdraw(*, document: Document, actor: User, reason: str, replaced_by: Document | None = None) -> Document:
    document.withdrawn_at = timezone.now()
    document.withdrawn_by = actor
    document.withdrawal_reason = reason
    document.replaced_by = replaced_by
    document.full_clean(exclude=["file"])
    document.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "replaced_by"])
    shared = document.visibility == Visibility.ALL
    event_record(
        case=document.case,
        actor=actor,
        verb="document.withdrawn",
        data={
            "document": document.pk,
            # As for uploads: a restricted document's name stays out of the timeline everyone reads.
            "name": document.original_name if shared else None,
            "reason": reason,
            "replaced_by": replaced_by.pk if replaced_by else None,
            "replaced_by_name": replaced_by.original_name if replaced_by and shared else None,
        },
    )
    return document


@transaction.atomic
def document_withdraw(*, document: Document, actor: User, reason: str, domain: bool = False) -> Document:
    """Take a document out of use; the reason is required and goes into the timeline. `domain` is passed by the
    domain service of a case kind in ``CHANGED_THROUGH_DOMAIN``, which checked its own rules."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("Say why the document is withdrawn.", field="reason", code="required")
    Case.objects.select_for_update(of=("self",)).filter(pk=document.case_id).first()
    locked = _locked(document)
    _require_author(document=locked, actor=actor, domain=domain)
    return _withdraw(document=locked, actor=actor, reason=reason)


@transaction.atomic
def document_replace(*, document: Document, actor: User, upload: UploadedFile, reason: str = "") -> Document:
    """Upload a new version and withdraw the old one in the same step; returns the new document."""
    Case.objects.select_for_update(of=("self",)).filter(pk=document.case_id).first()
    locked = _locked(document)
    _require_author(document=locked, actor=actor)
    new = document_upload(
        case=locked.case,
        actor=actor,
        upload=upload,
        kind=locked.kind,
        visibility=locked.visibility,
        milestone=locked.milestone,
    )
    reason = (reason or "").strip() or "Replaced by a new version."
    _withdraw(document=locked, actor=actor, reason=reason, replaced_by=new)
    return new


@transaction.atomic
def document_redact(*, document: Document, actor: User, reason: str = "") -> Document:
    """Site staff remove a document that carries client information: the bytes and the name go, the row stays.

    The timeline keeps that it was redacted and by whom; the name is scrubbed from the events that carried it (the
    append-only log's one exception, ``workflow.redactions``) and from the notifications that quoted it.
    """
    locked = _locked(document)
    if not actor.is_staff:
        if not Document.objects.visible_to(actor).filter(pk=locked.pk).exists():
            raise NotFound("Document not found.")
        raise NotAllowed("Only site staff can redact a document.")
    if locked.redacted_at is not None:
        raise Conflict("This document has already been redacted.", code="redacted")
    reason = reason_check(reason, required=False)
    original = locked.original_name
    extension = original.rsplit(".", 1)[-1] if "." in original else ""
    file = locked.file
    now = timezone.now()
    locked.original_name = f"{REDACTED_NAME}.{extension}" if extension else REDACTED_NAME
    locked.redacted_at, locked.redacted_by = now, actor
    if locked.withdrawn_at is None:
        locked.withdrawn_at, locked.withdrawn_by = now, actor
        locked.withdrawal_reason = "Redacted: it carried client information."
    locked.file = ""
    locked.save(
        update_fields=[
            "original_name",
            "redacted_at",
            "redacted_by",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_reason",
            "file",
        ]
    )
    names = events_scrub(case_id=locked.case_id, object_id=locked.pk, field="original_name", carried=NAME_CARRIED)
    copies_scrub(case_id=locked.case_id, originals=names | {original})
    data = {"document": locked.pk, **({"reason": reason} if reason else {})}
    event_record(case=locked.case, actor=actor, verb="document.redacted", data=data)
    # The bytes go once the row says so: a rolled-back redaction keeps its file.
    name = file.name
    storage = file.storage
    transaction.on_commit(lambda: storage.delete(name) if name else None)
    return locked
