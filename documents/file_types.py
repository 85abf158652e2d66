"""Deciding what a file is from its bytes, never from its name or the type the client declared."""

import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import filetype
from django.conf import settings

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
TEXT = "text/plain"
MARKDOWN = "text/markdown"

ACCEPTED_TYPES = (PDF, DOCX, PNG, JPEG, TIFF, TEXT, MARKDOWN)
IMAGE_TYPES = (PNG, JPEG, TIFF)
TEXT_TYPES = (TEXT, MARKDOWN)
# Spellings clients send for the same types.
ALIASES = {"text/x-markdown": MARKDOWN, "image/jpg": JPEG, "image/pjpeg": JPEG, "image/tif": TIFF}

SNIFF_BYTES = 64 * 1024


class ArchiveTooLarge(Exception):
    """A DOCX whose entries would unpack to more than the limits allow (a decompression bomb, or just huge)."""


def normalize_declared(content_type: str) -> str:
    base = (content_type or "").split(";", 1)[0].strip().lower()
    return ALIASES.get(base, base)


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    try:
        # The sample may end inside a multi-byte character; drop up to 3 trailing bytes before judging.
        for cut in range(4):
            try:
                head[: len(head) - cut].decode("utf-8")
                return True
            except UnicodeDecodeError:
                continue
        text = head.decode("cp1252")
    except UnicodeDecodeError:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls <= len(text) * 0.01


def check_docx_archive(archive: zipfile.ZipFile) -> None:
    """Refuse archives that would unpack too large, before anything (mammoth) decompresses them.

    Sizes come from the zip directory; zipfile itself refuses to read past an entry's declared size,
    so these numbers bound what decompression can produce.
    """
    max_total = settings.DOCUMENT_DOCX_MAX_UNCOMPRESSED_BYTES
    max_ratio = settings.DOCUMENT_DOCX_MAX_RATIO
    entries = archive.infolist()
    if len(entries) > settings.DOCUMENT_DOCX_MAX_ENTRIES:
        raise ArchiveTooLarge(
            f"The DOCX holds {len(entries)} parts; at most {settings.DOCUMENT_DOCX_MAX_ENTRIES} are allowed."
        )
    total = sum(entry.file_size for entry in entries)
    if total > max_total:
        raise ArchiveTooLarge(
            f"The DOCX would unpack to {total // 2**20} MB; at most {max_total // 2**20} MB are allowed."
        )
    for entry in entries:
        # Tiny entries compress at silly ratios legitimately; only judge the ones big enough to matter.
        if entry.file_size > 1024 * 1024 and entry.file_size > max_ratio * max(entry.compress_size, 1):
            raise ArchiveTooLarge(
                f"The DOCX part {entry.filename!r} is compressed {entry.file_size // max(entry.compress_size, 1)}:1, "
                f"more than the {max_ratio}:1 allowed; it looks like a decompression bomb."
            )


@dataclass(frozen=True)
class Detection:
    content_type: str | None  # one of ACCEPTED_TYPES, or None when the bytes are not a supported type
    description: str  # what the bytes look like, for error messages


def detect(file: BinaryIO, *, declared: str) -> Detection:
    """What `file` is, judged from its bytes. `declared` only picks between text/plain and text/markdown,
    which bytes cannot tell apart. Raises ArchiveTooLarge for a DOCX that fails the bomb guard."""
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if head.startswith(b"%PDF-") or mime == PDF:
        return Detection(PDF, "a PDF document")
    if mime in (PNG, JPEG, TIFF):
        return Detection(mime, f"a {kind.extension.upper()} image")
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
                if "[Content_Types].xml" in names and "word/document.xml" in names:
                    check_docx_archive(archive)
                    return Detection(DOCX, "a Word (DOCX) document")
                if "xl/workbook.xml" in names:
                    return Detection(None, "an Excel workbook")
                if "ppt/presentation.xml" in names:
                    return Detection(None, "a PowerPoint presentation")
                return Detection(None, "a ZIP archive")
        except zipfile.BadZipFile:
            return Detection(None, "a damaged ZIP archive")
        finally:
            file.seek(0)
    if mime:
        return Detection(None, f"a {mime} file")
    if _looks_like_text(head):
        return Detection(MARKDOWN if normalize_declared(declared) == MARKDOWN else TEXT, "text")
    return Detection(None, "binary data of an unknown type")


def types_match(declared: str, detected: str) -> bool:
    declared = normalize_declared(declared)
    if declared in TEXT_TYPES and detected in TEXT_TYPES:
        return True
    return declared == detected
