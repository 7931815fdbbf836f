"""Uploads: type from the bytes, size limits, safe names, visibility, download through access checks."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.errors import NotAllowed, NotFound, ServiceError
from workflow import documents
from workflow.models import Document, Event, Visibility

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name, content, **kwargs):
    return SimpleUploadedFile(name, content, **kwargs)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("narrative.pdf", PDF, "application/pdf"),
        ("logo.png", PNG, "image/png"),
        ("budget.csv", b"year,amount\n1,100000\n", "text/csv"),
        ("notes.txt", "Crisis line coverage — 24/7\n".encode(), "text/plain"),
        ("mou.docx", None, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_accepted_types_are_detected_from_the_bytes(case, member, name, content, expected, settings):
    content = content if content is not None else docx_bytes()
    document = documents.document_upload(case=case, actor=member, upload=upload(name, content, content_type="x/y"))
    assert document.content_type == expected
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.original_name == name
    assert name not in document.file.name, "stored under a random name"
    assert Event.objects.filter(case=case, verb="document.uploaded").count() == 1


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("report.pdf", ELF, "content_mismatch"),
        ("report.pdf", PNG, "content_mismatch"),
        ("report.csv", b"a,b\x00\x01", "content_mismatch"),
        ("tool.exe", ELF, "file_type"),
        ("report.pdf", b"", "empty_file"),
        ("../../etc/passwd", b"root:x:0:0", "file_type"),  # Django keeps only "passwd"
        ("..\\..\\boot.ini", b"[boot loader]", "bad_name"),
        ("passwd", b"root:x:0:0", "file_type"),
        (".htaccess", b"x", "bad_name"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(case, member, name, content, code, tmp_path):
    file = upload("placeholder", content)
    file.name = name  # SimpleUploadedFile strips folders; a raw name can still reach the service.
    with pytest.raises(ServiceError) as error:
        documents.document_upload(case=case, actor=member, upload=file)
    assert error.value.code == code and error.value.field == "file"
    assert not Document.objects.exists()
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == [], "no bytes stored"


@pytest.mark.parametrize("extension", ["pdf", "PDF", "docx"])
def test_a_long_name_is_shortened_before_its_extension(case, member, extension):
    """A name past the kept length loses the end of its stem, never its extension (once read as "wrong type")."""
    content = PDF if extension.lower() == "pdf" else docx_bytes()
    name = "Memorandum of understanding " + "x" * 300 + f".{extension}"
    document = documents.document_upload(case=case, actor=member, upload=upload(name, content))
    assert len(document.original_name) == documents.NAME_MAX_LENGTH
    assert document.original_name.startswith("Memorandum of understanding xxx")
    assert document.original_name.endswith(f"x.{extension}")


def test_size_limit_is_a_setting(case, member, settings):
    settings.DOCUMENT_MAX_BYTES = 100
    with pytest.raises(ServiceError) as error:
        documents.document_upload(case=case, actor=member, upload=upload("big.pdf", PDF + b" " * 200))
    assert error.value.code == "file_too_large"


def test_viewers_cannot_upload_and_outsiders_are_told_nothing(case, viewer, outsider):
    with pytest.raises(NotAllowed):
        documents.document_upload(case=case, actor=viewer, upload=upload("a.pdf", PDF))
    with pytest.raises(NotFound):
        documents.document_upload(case=case, actor=outsider, upload=upload("a.pdf", PDF))


def test_visibility_rules(case, member, partner, grant_manager, viewer):
    everyone = documents.document_upload(case=case, actor=member, upload=upload("a.pdf", PDF))
    ours = documents.document_upload(
        case=case, actor=member, upload=upload("b.pdf", PDF), visibility=Visibility.ORGANIZATION
    )
    ours_and_bja = documents.document_upload(
        case=case, actor=member, upload=upload("c.pdf", PDF), visibility=Visibility.ORGANIZATION_AND_BJA
    )
    assert set(Document.objects.visible_to(viewer)) == {everyone, ours, ours_and_bja}
    assert set(Document.objects.visible_to(partner)) == {everyone}
    assert set(Document.objects.visible_to(grant_manager)) == {everyone, ours_and_bja}
    with pytest.raises(NotFound):
        documents.document_get_for_user(user=partner, document_id=ours.pk)
