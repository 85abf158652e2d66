"""Confirming an upload, as a sequence of named checks (`confirm_upload` runs them in order): the stored bytes are
checked (size, type from the bytes, malware scan), kept under a key no upload URL points to, and queued for
processing. A refused upload is marked failed and its bytes deleted *before* the error is raised, in its own
transaction, so the refusal sticks even though the request answers an error."""

from dataclasses import dataclass, field
from typing import BinaryIO

import structlog
from django.db import transaction
from django.utils import timezone

from billing.plans import enforce_limit, plan_for
from documents import file_types, scanning
from documents.models import Document
from documents.services.lifecycle import discard, enqueue, mark_failed
from documents.services.uploads import ACCEPTED_LABEL, too_large
from orbit.blobstore import BlobMissing, BlobUnavailable, get_blob_store
from orbit.errors import (
    Conflict,
    MalwareDetected,
    NotFound,
    OrbitError,
    PayloadTooLarge,
    PlanLimitExceeded,
    ServiceUnavailable,
    UnsupportedMediaType,
    ValidationFailed,
)
from workspaces import activity
from workspaces.activity import Verb

logger = structlog.get_logger(__name__)


def _reject(document: Document, error: OrbitError, *, actor, scan_status: str = "", signature: str = "") -> OrbitError:
    """Fail a pending document (lifecycle.mark_failed), delete its bytes; returns `error` for the caller to raise."""
    fields = {"blob_stored": False}
    if scan_status:
        fields.update(scan_status=scan_status, scan_signature=signature)
    changed = mark_failed(
        document,
        rows=Document.objects.filter(pk=document.pk, status=Document.Status.PENDING),
        message=error.message,
        actor=actor,
        stage="confirm",
        metadata={"error": error.code},
        **fields,
    )
    # Only the call that failed the row may remove the kept bytes: a concurrent confirm may have accepted them.
    discard(document.upload_key, *([document.storage_key] if changed else []))
    return error


@dataclass
class _Upload:
    """What the checks of one confirmation learn, in order: the plan's limit, then the downloaded bytes and type."""

    document: Document
    actor: object
    plan: dict = field(default_factory=dict)
    maximum: int | None = None
    file: BinaryIO | None = None
    size: int = 0
    sha256: str = ""
    detection: file_types.Detection | None = None

    def reject(self, error: OrbitError, **fields) -> OrbitError:
        return _reject(self.document, error, actor=self.actor, **fields)


def _storage_unavailable() -> ServiceUnavailable:
    return ServiceUnavailable("Storage is unavailable; the upload was kept, confirm again later.")


def confirm_upload(*, document: Document, actor) -> Document:
    """Check the stored bytes and queue processing. Idempotent: confirming an accepted upload returns it unchanged.

    The checks run in order, each raising the error the client gets (a refusal fails the document first). Storage
    I/O runs outside any transaction; the final state change re-checks the row under lock.
    """
    upload = _Upload(document=document, actor=actor)
    if (settled := _check_state(upload)) is not None:
        return settled
    _check_stored_size(upload)
    with _download(upload):
        for check in (_check_size, _check_type_sniffed, _check_type_declared, _check_scan):
            check(upload)
        if not _keep_checked_bytes(upload):
            document.refresh_from_db()
            return document  # a concurrent confirm finished first; its checked bytes stay as they are
    return _accept_checked(upload)


def _check_state(upload: _Upload) -> Document | None:
    """The document as it is now: gone (404), refused before (409), or already accepted (returned as it is)."""
    document = upload.document
    try:
        document.refresh_from_db()
    except Document.DoesNotExist as exc:
        raise NotFound() from exc
    if document.status == Document.Status.FAILED:
        raise Conflict(f"This upload was rejected: {document.error} Start a new upload.")
    return None if document.status == Document.Status.PENDING else document


def _check_stored_size(upload: _Upload) -> None:
    """The stored object's real size, before reading it: there (409), reachable (503), not empty, within the plan."""
    upload.plan = plan_for(upload.document.workspace)
    upload.maximum = upload.plan.get("max_file_bytes")
    try:
        real_size = get_blob_store().size(upload.document.upload_key)
    except BlobMissing as exc:
        raise Conflict("No file has been uploaded for this document yet; send it to the upload URL first.") from exc
    except BlobUnavailable as exc:
        raise _storage_unavailable() from exc
    if real_size == 0:
        raise upload.reject(ValidationFailed("The file is empty.", details={"size": ["The file is empty."]}))
    if upload.maximum is not None and real_size > upload.maximum:
        raise upload.reject(too_large(size=real_size, plan=upload.plan))


def _download(upload: _Upload) -> BinaryIO:
    """Read the bytes once (at most the plan's maximum and a byte), with their size and sha256; the file returned is
    the one every later check reads, to close after use."""
    try:
        upload.file, upload.size, upload.sha256 = get_blob_store().download(
            upload.document.upload_key, max_bytes=upload.maximum
        )
    except BlobMissing as exc:
        raise Conflict("The uploaded file disappeared from storage; upload it again.") from exc
    except BlobUnavailable as exc:
        raise _storage_unavailable() from exc
    return upload.file


def _check_size(upload: _Upload) -> None:
    """The bytes read are still within the plan (the object may have grown between the size check and the read)."""
    if upload.maximum is not None and upload.size > upload.maximum:
        raise upload.reject(too_large(size=upload.size, plan=upload.plan))


def _check_type_sniffed(upload: _Upload) -> None:
    """The type read from the bytes is an accepted one (415), and a DOCX is no decompression bomb (413)."""
    try:
        upload.detection = file_types.detect(upload.file, declared=upload.document.content_type)
    except file_types.ArchiveTooLarge as exc:
        raise upload.reject(PayloadTooLarge(str(exc))) from exc
    if upload.detection.content_type is None:
        description = upload.detection.description
        raise upload.reject(
            UnsupportedMediaType(
                f"The file is {description}, which is not accepted. Upload {ACCEPTED_LABEL}.",
                details={"detected": description, "accepted": list(file_types.ACCEPTED_TYPES)},
            )
        )


def _check_type_declared(upload: _Upload) -> None:
    """The type read from the bytes is the type declared when the upload was asked for (415)."""
    declared, detection = upload.document.content_type, upload.detection
    if not file_types.types_match(declared, detection.content_type):
        raise upload.reject(
            UnsupportedMediaType(
                f"The file was declared as {declared} but its contents are {detection.description}.",
                details={
                    "declared": declared,
                    "detected": detection.content_type,
                    "accepted": list(file_types.ACCEPTED_TYPES),
                },
            )
        )


def _check_scan(upload: _Upload) -> None:
    """The malware scan: the scanner answers (503, the upload kept) and finds nothing (422, the file deleted)."""
    try:
        verdict = scanning.scan(upload.file)
    except scanning.ScannerUnavailable as exc:
        logger.warning("document_scan_unavailable", document_id=str(upload.document.id), error=str(exc))
        message = "The malware scanner is unavailable; the upload was kept, confirm again later."
        raise ServiceUnavailable(message) from exc
    if not verdict.clean:
        raise upload.reject(
            MalwareDetected(
                f"The malware scan found {verdict.signature}; the file was deleted.",
                details={"signature": verdict.signature},
            ),
            scan_status=Document.ScanStatus.INFECTED,
            signature=verdict.signature,
        )


def _keep_checked_bytes(upload: _Upload) -> bool:
    """Keep exactly the bytes that were checked, under a key no upload URL points to. False when a concurrent confirm
    settled the document first (nothing is written then)."""
    document = upload.document
    if not Document.objects.filter(pk=document.pk, status=Document.Status.PENDING).exists():
        return False
    try:
        get_blob_store().put(document.storage_key, upload.file, content_type=upload.detection.content_type)
    except BlobUnavailable as exc:
        raise _storage_unavailable() from exc
    return True


def _accept_checked(upload: _Upload) -> Document:
    """Accept the kept bytes within the workspace's storage limit (402, refused then) and remove the upload copy."""
    document = upload.document
    try:
        accepted = _accept(
            document=document,
            actor=upload.actor,
            size=upload.size,
            sha256=upload.sha256,
            detected=upload.detection.content_type,
        )
    except PlanLimitExceeded as exc:
        raise upload.reject(exc) from exc
    except NotFound:
        # Deleted while we checked: the copy just written belongs to no row and would never be removed.
        discard(document.storage_key, document.upload_key)
        raise
    discard(document.upload_key)
    return accepted


@transaction.atomic
def _accept(*, document: Document, actor, size: int, sha256: str, detected: str) -> Document:
    locked = Document.objects.select_for_update().filter(pk=document.pk).first()
    if locked is None:
        raise NotFound()
    if locked.status != Document.Status.PENDING:  # a concurrent confirm won
        return locked
    enforce_limit(workspace=locked.workspace, limit="storage_bytes", adding=size)
    locked.size_bytes = size
    locked.sha256 = sha256
    locked.detected_type = detected
    locked.scan_status = Document.ScanStatus.CLEAN
    locked.blob_stored = True
    locked.status = Document.Status.UPLOADED
    locked.confirmed_at = timezone.now()
    locked.processing_run = 1
    locked.processing_attempts = 0
    locked.save()
    activity.record(
        actor=actor,
        verb=Verb.DOCUMENT_UPLOADED,
        target=locked,
        metadata={"filename": locked.filename, "size_bytes": size, "content_type": detected},
    )
    enqueue(locked.id)
    return locked
