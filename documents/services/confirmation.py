"""Confirming an upload: the stored bytes are checked (size, type from the bytes, malware scan), kept under a key no
upload URL points to, and queued for processing. A refused upload is marked failed and its bytes deleted *before*
the error is raised, in its own transaction, so the refusal sticks even though the request answers an error."""

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


def confirm_upload(*, document: Document, actor) -> Document:
    """Check the stored bytes and queue processing. Idempotent: confirming an accepted upload returns it unchanged.

    Runs storage I/O outside any transaction; the final state change re-checks the row under lock.
    """
    try:
        document.refresh_from_db()
    except Document.DoesNotExist as exc:
        raise NotFound() from exc
    if document.status != Document.Status.PENDING:
        if document.status == Document.Status.FAILED:
            raise Conflict(f"This upload was rejected: {document.error} Start a new upload.")
        return document
    plan = plan_for(document.workspace)
    maximum = plan.get("max_file_bytes")
    try:
        real_size = get_blob_store().size(document.upload_key)
    except BlobMissing as exc:
        raise Conflict("No file has been uploaded for this document yet; send it to the upload URL first.") from exc
    except BlobUnavailable as exc:
        raise ServiceUnavailable("Storage is unavailable; the upload was kept, confirm again later.") from exc
    if real_size == 0:
        raise _reject(
            document, ValidationFailed("The file is empty.", details={"size": ["The file is empty."]}), actor=actor
        )
    if maximum is not None and real_size > maximum:
        raise _reject(document, too_large(size=real_size, plan=plan), actor=actor)
    try:
        file, size, sha256 = get_blob_store().download(document.upload_key, max_bytes=maximum)
    except BlobMissing as exc:
        raise Conflict("The uploaded file disappeared from storage; upload it again.") from exc
    except BlobUnavailable as exc:
        raise ServiceUnavailable("Storage is unavailable; the upload was kept, confirm again later.") from exc
    with file:
        if maximum is not None and size > maximum:  # grew between HEAD and GET
            raise _reject(document, too_large(size=size, plan=plan), actor=actor)
        try:
            detection = file_types.detect(file, declared=document.content_type)
        except file_types.ArchiveTooLarge as exc:
            raise _reject(document, PayloadTooLarge(str(exc)), actor=actor) from exc
        if detection.content_type is None:
            raise _reject(
                document,
                UnsupportedMediaType(
                    f"The file is {detection.description}, which is not accepted. Upload {ACCEPTED_LABEL}.",
                    details={"detected": detection.description, "accepted": list(file_types.ACCEPTED_TYPES)},
                ),
                actor=actor,
            )
        if not file_types.types_match(document.content_type, detection.content_type):
            raise _reject(
                document,
                UnsupportedMediaType(
                    f"The file was declared as {document.content_type} but its contents are {detection.description}.",
                    details={
                        "declared": document.content_type,
                        "detected": detection.content_type,
                        "accepted": list(file_types.ACCEPTED_TYPES),
                    },
                ),
                actor=actor,
            )
        try:
            verdict = scanning.scan(file)
        except scanning.ScannerUnavailable as exc:
            logger.warning("document_scan_unavailable", document_id=str(document.id), error=str(exc))
            raise ServiceUnavailable(
                "The malware scanner is unavailable; the upload was kept, confirm again later."
            ) from exc
        if not verdict.clean:
            raise _reject(
                document,
                MalwareDetected(
                    f"The malware scan found {verdict.signature}; the file was deleted.",
                    details={"signature": verdict.signature},
                ),
                actor=actor,
                scan_status=Document.ScanStatus.INFECTED,
                signature=verdict.signature,
            )
        # Keep exactly the bytes that were checked, under a key no upload URL points to.
        if not Document.objects.filter(pk=document.pk, status=Document.Status.PENDING).exists():
            document.refresh_from_db()
            return document  # a concurrent confirm finished first; its checked bytes stay as they are
        try:
            get_blob_store().put(document.storage_key, file, content_type=detection.content_type)
        except BlobUnavailable as exc:
            raise ServiceUnavailable("Storage is unavailable; the upload was kept, confirm again later.") from exc
    try:
        accepted = _accept(document=document, actor=actor, size=size, sha256=sha256, detected=detection.content_type)
    except PlanLimitExceeded as exc:
        raise _reject(document, exc, actor=actor) from exc
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
        workspace=locked.workspace,
        actor=actor,
        verb=Verb.DOCUMENT_UPLOADED,
        target=locked,
        metadata={"filename": locked.filename, "size_bytes": size, "content_type": detected},
    )
    enqueue(locked.id)
    return locked
