"""Document uploads: checked by their bytes, stored under a random name, served only after an access check.

What we accept is what grant files are: PDF, Word (DOCX), Excel (XLSX), PNG,
JPEG, plain text and CSV. The type is read from the bytes (the `filetype`
package's signatures), never trusted from the name or the browser, and it
must agree with the file's extension: an executable renamed ``.pdf`` is refused.
"""

from __future__ import annotations

import hashlib
import re

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from config.errors import Conflict, NotAllowed, NotFound, ServiceError
from config.phi import CODE as CLIENT_INFORMATION
from config.phi import client_information_find, client_information_message
from workflow.access import EDIT, acting_organizations, case_require
from workflow.models import Case, Document, Milestone, Visibility
from workflow.services import event_record

# Extension -> the content type the bytes must show.
ALLOWED = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain",
    "csv": "text/csv",
}
TEXT_TYPES = {"text/plain", "text/csv"}
# What each accepted type is, said in words for a sentence: "“notes.txt” is a plain text file (TXT)."
TYPE_WORDS = {
    "application/pdf": "a PDF",
    ALLOWED["docx"]: "a Word document (DOCX)",
    ALLOWED["xlsx"]: "an Excel workbook (XLSX)",
    "image/png": "a PNG image",
    "image/jpeg": "a JPEG image",
    "text/plain": "a plain text file (TXT)",
    "text/csv": "a CSV table",
}
# Case kinds whose documents a domain app takes in by rules of its own (an application's attachments: a kind the
# solicitation asks for, the file types that kind accepts, only while it is a draft, and the applicants sign again).
# The generic upload (API and case page) answers 409 `domain_documents` for them, naming where to attach instead, so
# there is one path; the app's service passes `domain=True`. The app adds its kind from AppConfig.ready(), saying
# where; the engine does not know it. Withdrawing and replacing have their own registry
# (``workflow.document_changes.CHANGED_THROUGH_DOMAIN``).
UPLOADED_THROUGH_DOMAIN: dict[str, str] = {}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9 ._()\-]+")
#: A kept name's length (Document.original_name holds 200; the storage path adds a folder and a random name).
NAME_MAX_LENGTH = 150


def _clean_name(name: str) -> str:
    if not name or "/" in name or "\\" in name or name.startswith(".") or ".." in name or "\x00" in name:
        raise ServiceError(
            "The file name must be a plain name, without folders or “..”.", field="file", code="bad_name"
        )
    cleaned = _shorten(_SAFE_NAME.sub("_", name).strip(" ."))
    if not cleaned:
        raise ServiceError("The file name is empty after removing unsafe characters.", field="file", code="bad_name")
    return cleaned


def _shorten(name: str) -> str:
    """At most NAME_MAX_LENGTH characters, cut from the stem: the extension says what type the file must be."""
    if len(name) <= NAME_MAX_LENGTH:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) >= NAME_MAX_LENGTH // 2:
        return name[:NAME_MAX_LENGTH].rstrip(" .")
    return f"{stem[: NAME_MAX_LENGTH - len(extension) - 1].rstrip(' .')}.{extension}"


def _detect(head: bytes, extension: str) -> str | None:
    """The content type the bytes show, as far as they agree with the extension; None if they do not."""
    expected = ALLOWED[extension]
    if expected in TEXT_TYPES:
        if b"\x00" in head or filetype.guess(head) is not None:
            return None
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character may be cut at the end of the sample; anything earlier is not text.
            if error.start < len(head) - 4:
                return None
        return expected
    kind = filetype.guess(head)
    return expected if kind is not None and kind.mime == expected else None


def document_validate(upload: UploadedFile) -> tuple[str, str]:
    """(clean name, content type) or a ServiceError saying what is wrong."""
    name = _clean_name(upload.name or "")
    findings = client_information_find(name)
    if findings:
        raise ServiceError(client_information_message(findings), field="file", code=CLIENT_INFORMATION)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        kinds = "PDF, DOCX, XLSX, PNG, JPEG, TXT or CSV"
        raise ServiceError(f"“{name}” is not an accepted file type ({kinds}).", field="file", code="file_type")
    if upload.size == 0:
        raise ServiceError("The file is empty.", field="file", code="empty_file")
    if upload.size > settings.DOCUMENT_MAX_BYTES:
        limit = settings.DOCUMENT_MAX_BYTES // (1024 * 1024)
        raise ServiceError(f"The file is larger than the {limit} MB limit.", field="file", code="file_too_large")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    content_type = _detect(head, extension)
    if content_type is None:
        raise ServiceError(
            f"The contents of “{name}” are not a {extension.upper()} file.", field="file", code="content_mismatch"
        )
    return name, content_type


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def document_uploadable_here(case: Case) -> bool:
    """Whether the generic upload takes documents for this case (not where a domain app does: its own page does)."""
    return case.kind not in UPLOADED_THROUGH_DOMAIN


def document_uploadable(*, case: Case, actor: User, domain: bool = False) -> None:
    """What an upload checks before it reads the file: who may upload (404 to outsiders, 403 to who may not work on
    the case), then through which door (409 `domain_documents` for a kind in ``UPLOADED_THROUGH_DOMAIN``)."""
    case_require(
        user=actor, case=case, action=EDIT, message="Only participants who work on the case can upload documents."
    )
    where = UPLOADED_THROUGH_DOMAIN.get(case.kind)
    if where and not domain:
        raise Conflict(f"Upload documents to this case through {where}.", code="domain_documents")


@transaction.atomic
def document_upload(
    *,
    case: Case,
    actor: User,
    upload: UploadedFile,
    kind: str = "other",
    visibility: str = Visibility.ALL,
    milestone: Milestone | None = None,
    domain: bool = False,
) -> Document:
    """Store a checked file on the case. `domain` is passed by the domain service of a case kind in
    ``UPLOADED_THROUGH_DOMAIN``, which checked its own rules."""
    document_uploadable(case=case, actor=actor, domain=domain)
    if visibility not in Visibility.values:
        raise ServiceError(f"“{visibility}” is not a visibility.", field="visibility", code="invalid_choice")
    if milestone is not None and milestone.case_id != case.pk:
        raise ServiceError("The milestone belongs to another case.", field="milestone", code="wrong_case")
    name, content_type = document_validate(upload)
    organizations = acting_organizations(user=actor, case=case)
    if not organizations:
        raise NotAllowed("Upload as a member of a participating organization.")
    document = Document(
        case=case,
        milestone=milestone,
        kind=kind,
        original_name=name,
        size=upload.size,
        sha256=_sha256(upload),
        content_type=content_type,
        visibility=visibility,
        organization=organizations[0],
        uploaded_by=actor,
    )
    document.full_clean(exclude=["file"])
    document.file.save(name, upload, save=False)
    try:
        document.save()
        event_record(
            case=case,
            actor=actor,
            verb="document.uploaded",
            data={
                "document": document.pk,
                # Everyone on the case reads the timeline: a restricted document's name stays out of it.
                "name": name if visibility == Visibility.ALL else None,
                "kind": kind,
                "visibility": visibility,
            },
        )
    except Exception:
        document.file.delete(save=False)  # No orphan bytes when the row is not written.
        raise
    return document


def document_get_for_user(*, user: User, document_id: int) -> Document:
    document = Document.objects.visible_to(user).select_related("case").filter(pk=document_id).first()
    if document is None:
        raise NotFound("Document not found.")
    return document
