"""Writes on documents: asking for an upload, receiving it (local storage), confirming, deleting, reprocessing.

Rejected uploads are marked failed and their bytes deleted *before* the error is raised, in their own
transaction, so the refusal sticks even though the request answers with an error.
"""

import unicodedata
import uuid
from datetime import timedelta

import structlog
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.text import get_valid_filename
from django_q.tasks import async_task

from billing.plans import enforce_limit, plan_for
from documents import file_types, scanning
from documents.models import Document
from orbit.blobstore import BlobMissing, BlobUnavailable, Link, get_blob_store
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
    not_in_workspace,
)
from orbit.updates import apply_changes
from workspaces import activity
from workspaces.activity import Verb

logger = structlog.get_logger(__name__)

ACCEPTED_LABEL = "PDF, DOCX, PNG, JPEG, TIFF, plain text or markdown"


def _key_name(filename: str) -> str:
    """A storage-safe form of the name for the object key: ASCII-ish word characters, dots and dashes only, never
    '.' or '..' (get_valid_filename raises on those and on names with no usable character at all)."""
    try:
        safe = get_valid_filename(filename)[-120:].lstrip(".")
    except SuspiciousFileOperation:
        safe = ""
    return safe or "file"


def _keys(*, workspace_id, document_id, filename: str) -> dict:
    safe = _key_name(filename)
    return {
        "upload_key": f"uploads/{workspace_id}/{document_id}/{safe}",
        "storage_key": f"documents/{workspace_id}/{document_id}/{safe}",
    }


def _enqueue(document_id) -> None:
    transaction.on_commit(lambda: async_task("documents.tasks.process_document", str(document_id)))


def _too_large(*, size: int, plan: dict) -> PayloadTooLarge:
    maximum = plan["max_file_bytes"]
    return PayloadTooLarge(
        f"The file is {size} bytes; the {plan['name']} plan allows files up to {maximum} bytes.",
        details={"limit": maximum, "size": size, "plan": plan["code"], "limit_name": "max_file_bytes"},
    )


def _links(*, workspace, project_id=None, scope_id=None) -> dict:
    """Resolve optional project/scope ids within `workspace`; a scope implies its project."""
    from scopes.models import Project, Scope

    project = scope = None
    if scope_id is not None:
        scope = Scope.objects.alive().filter(workspace=workspace, pk=scope_id).first()
        if scope is None:
            raise not_in_workspace("scope_id", scope_id)
    if project_id is not None:
        project = Project.objects.filter(workspace=workspace, pk=project_id).first()
        if project is None:
            raise not_in_workspace("project_id", project_id)
    if scope is not None and scope.project_id is not None:
        if project is not None and project.id != scope.project_id:
            raise ValidationFailed(
                "The scope belongs to another project.", details={"scope_id": ["The scope belongs to another project."]}
            )
        project = project or scope.project
    return {"project": project, "scope": scope}


def _enforce_storage_with_pending(*, workspace, size: int) -> None:
    """Uploads asked for but not yet confirmed reserve their declared size (a PUT cannot exceed it), so a client
    cannot park unconfirmed bytes past the quota; confirm then counts the real size of each."""
    from workspaces.models import Workspace

    # Lock the workspace row before counting, as enforce_limit does, so racing asks count one after the other.
    Workspace.objects.lock(workspace.pk)
    since = timezone.now() - timedelta(hours=settings.DOCUMENT_PENDING_TTL_HOURS)
    reserved = (
        Document.objects.filter(workspace=workspace, status=Document.Status.PENDING, created_at__gte=since).aggregate(
            total=Sum("size_bytes")
        )["total"]
        or 0
    )
    try:
        enforce_limit(workspace=workspace, limit="storage_bytes", adding=size + reserved)
    except PlanLimitExceeded as exc:
        if reserved:
            exc.message += f" Uploads not confirmed yet reserve {reserved} more."
            exc.details["pending_uploads_bytes"] = reserved
        raise


@transaction.atomic
def create_upload(
    *,
    workspace,
    uploaded_by,
    filename: str,
    size: int,
    content_type: str,
    project_id=None,
    scope_id=None,
    request=None,
) -> tuple[Document, Link]:
    """A pending Document and the short-lived URL the client sends the bytes to."""
    filename = clean_filename(filename)
    declared = file_types.normalize_declared(content_type)
    if declared not in file_types.ACCEPTED_TYPES:
        raise UnsupportedMediaType(
            f"Files of type {content_type or 'unknown'} are not accepted. Upload {ACCEPTED_LABEL}.",
            details={"content_type": content_type, "accepted": list(file_types.ACCEPTED_TYPES)},
        )
    if size <= 0:
        raise ValidationFailed("The file is empty.", details={"size": ["The file is empty."]})
    plan = plan_for(workspace)
    if plan.get("max_file_bytes") is not None and size > plan["max_file_bytes"]:
        raise _too_large(size=size, plan=plan)
    links = _links(workspace=workspace, project_id=project_id, scope_id=scope_id)
    _enforce_storage_with_pending(workspace=workspace, size=size)
    document_id = uuid.uuid4()
    document = Document(
        id=document_id,
        workspace=workspace,
        **links,
        uploaded_by=uploaded_by,
        filename=filename,
        content_type=declared,
        size_bytes=size,
        **_keys(workspace_id=workspace.id, document_id=document_id, filename=filename),
    )
    document.full_clean()
    document.save(force_insert=True)
    return document, _upload_link(document, request=request)


EDITABLE_FIELDS = ("filename", "project", "scope")


def clean_filename(filename: str) -> str:
    """The name shown and used in downloads: the last part of a path (browsers may send "C:\\fakepath\\a.pdf"),
    trimmed; refused when empty, a bare '.'/'..', or holding control characters (they would break headers)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or name in (".", ".."):
        raise ValidationFailed("The file needs a name.", details={"filename": ["The file needs a name."]})
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        message = "The file name must not contain control characters such as line breaks."
        raise ValidationFailed(message, details={"filename": [message]})
    return name


@transaction.atomic
def update_document(*, document: Document, actor, changes: dict) -> Document:
    """Rename (`filename`), or link to / unlink from a project or scope (`project_id`/`scope_id`, None unlinks;
    a scope implies its project). The file itself never changes."""
    changes = dict(changes)
    if "filename" in changes:
        changes["filename"] = clean_filename(changes["filename"])
    if "project_id" in changes or "scope_id" in changes:
        changes.update(
            _links(
                workspace=document.workspace,
                project_id=changes.pop("project_id", document.project_id),
                scope_id=changes.pop("scope_id", document.scope_id),
            )
        )
    changed = apply_changes(document, changes, fields=EDITABLE_FIELDS)
    if changed:
        activity.record(
            workspace=document.workspace,
            actor=actor,
            verb=Verb.DOCUMENT_UPDATED,
            target=document,
            metadata={"fields": changed},
        )
    return document


def _upload_link(document, *, request=None) -> Link:
    return get_blob_store().signed_upload_url(
        document.upload_key, content_type=document.content_type, size=document.size_bytes, request=request
    )


def upload_link(*, document, request=None) -> Link:
    """A fresh upload URL for a document still waiting for its bytes (the first one may have expired)."""
    if document.status != Document.Status.PENDING:
        raise Conflict("This document's file was already received.")
    return _upload_link(document, request=request)


def download_link(*, document, request=None) -> Link:
    """A short-lived signed URL to the original file, as an attachment under the document's name."""
    if not document.blob_stored:
        raise NotFound("This document has no stored file.")
    return get_blob_store().signed_download_url(
        document.storage_key,
        filename=document.filename,
        content_type=document.detected_type or "application/octet-stream",
        request=request,
    )


def check_upload_target(key: str) -> None:
    """BLOB_UPLOAD_GUARDS hook for local storage: bytes are accepted under `uploads/` only while the document is
    waiting for them, so a file cannot be swapped once confirmed (S3 would keep such a late PUT as an object that
    nothing reads; the local stand-in refuses it)."""
    parts = key.split("/")
    document_id = parts[2] if len(parts) > 3 else None
    try:
        document = Document.objects.filter(pk=document_id, upload_key=key).first() if document_id else None
    except DjangoValidationError:
        document = None
    if document is None:
        raise NotFound()
    if document.status != Document.Status.PENDING:
        raise Conflict("This document's file was already received; start a new upload to replace it.")


def _reject(document: Document, error: OrbitError, *, actor, scan_status: str = "", signature: str = "") -> OrbitError:
    """Mark a pending document failed, delete its bytes, record the event; returns `error` for the caller to raise."""
    with transaction.atomic():
        updates = {"status": Document.Status.FAILED, "error": error.message, "blob_stored": False}
        if scan_status:
            updates.update(scan_status=scan_status, scan_signature=signature)
        changed = Document.objects.filter(pk=document.pk, status=Document.Status.PENDING).update(
            **updates, updated_at=timezone.now()
        )
        if changed:
            activity.record(
                workspace=document.workspace,
                actor=actor,
                verb=Verb.DOCUMENT_FAILED,
                target=document,
                metadata={"filename": document.filename, "stage": "confirm", "error": error.code},
            )
    # Only the call that failed the row may remove the kept bytes: a concurrent confirm may have accepted them.
    _discard(document.upload_key, *([document.storage_key] if changed else []))
    return error


def _discard(*keys: str) -> None:
    """Best-effort removal of objects nothing counts any more (a leftover upload, a refused file)."""
    for key in keys:
        try:
            get_blob_store().delete(key)
        except (BlobMissing, BlobUnavailable):
            logger.warning("document_blob_delete_failed", key=key)


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
        raise _reject(document, _too_large(size=real_size, plan=plan), actor=actor)
    try:
        file, size, sha256 = get_blob_store().download(document.upload_key, max_bytes=maximum)
    except BlobMissing as exc:
        raise Conflict("The uploaded file disappeared from storage; upload it again.") from exc
    except BlobUnavailable as exc:
        raise ServiceUnavailable("Storage is unavailable; the upload was kept, confirm again later.") from exc
    with file:
        if maximum is not None and size > maximum:  # grew between HEAD and GET
            raise _reject(document, _too_large(size=size, plan=plan), actor=actor)
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
                    details={"declared": document.content_type, "detected": detection.content_type},
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
        _discard(document.storage_key, document.upload_key)
        raise
    _discard(document.upload_key)
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
    _enqueue(locked.id)
    return locked


def delete_document(*, document: Document, actor) -> None:
    """Remove the bytes first: if storage is down nothing changes; the row (and its storage usage) goes after.
    Once the deletion commits, documents.receivers sweeps both keys again, in case a confirm running meanwhile
    wrote its checked copy after the first removal."""
    # Both keys: a pending upload lives under upload_key, and a stale upload object may outlive its confirm.
    for key in (document.storage_key, document.upload_key):
        try:
            get_blob_store().delete(key)
        except BlobMissing:
            pass
        except BlobUnavailable as exc:
            raise ServiceUnavailable("Storage is unavailable; the document was not deleted, try again.") from exc
    with transaction.atomic():
        deleted, _ = Document.objects.filter(pk=document.pk).delete()
        if deleted:
            activity.record(
                workspace=document.workspace,
                actor=actor,
                verb=Verb.DOCUMENT_DELETED,
                target=document,
                metadata={"filename": document.filename, "size_bytes": document.size_bytes},
            )


@transaction.atomic
def reprocess_document(*, document: Document, actor) -> Document:
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if not locked.blob_stored:
        raise Conflict("This document has no stored file to process; upload it again.")
    if locked.status in (Document.Status.UPLOADED, Document.Status.PROCESSING):
        raise Conflict("This document is already being processed.")
    Document.objects.filter(pk=locked.pk).update(
        status=Document.Status.UPLOADED,
        processing_run=F("processing_run") + 1,
        processing_attempts=0,
        claimed_at=None,
        pages_done=0,
        error="",
        updated_at=timezone.now(),
    )
    _enqueue(locked.id)
    locked.refresh_from_db()
    activity.record(
        workspace=locked.workspace,
        actor=actor,
        verb=Verb.DOCUMENT_REPROCESSED,
        target=locked,
        metadata={"filename": locked.filename, "processing_run": locked.processing_run},
    )
    return locked


def requeue_stale(*, now, dry_run: bool = False) -> int:
    """Queue again what a dead worker or a lost enqueue left behind: claims older than the lease, and uploads
    queued longer than the lease ago. The task's claim makes a duplicate enqueue harmless."""
    cutoff = now - timedelta(seconds=settings.DOCUMENT_PROCESSING_LEASE)
    stale = list(
        Document.objects.filter(status=Document.Status.PROCESSING, claimed_at__lt=cutoff).values_list("id", flat=True)
    )
    stale += list(
        Document.objects.filter(status=Document.Status.UPLOADED, updated_at__lt=cutoff).values_list("id", flat=True)
    )
    if not dry_run:
        for document_id in stale:
            async_task("documents.tasks.process_document", str(document_id))
    return len(stale)


def remove_orphaned_uploads(*, now, dry_run: bool = False) -> int:
    """Pending uploads never confirmed within DOCUMENT_PENDING_TTL_HOURS: delete any bytes sent, then the row."""
    cutoff = now - timedelta(hours=settings.DOCUMENT_PENDING_TTL_HOURS)
    orphaned = Document.objects.filter(status=Document.Status.PENDING, created_at__lt=cutoff)
    if dry_run:
        return orphaned.count()
    removed = 0
    for document in orphaned.iterator():
        try:
            for key in (document.upload_key, document.storage_key):
                get_blob_store().delete(key)
        except BlobMissing:
            pass
        except BlobUnavailable:
            continue  # try again on the next run
        if Document.objects.filter(pk=document.pk, status=Document.Status.PENDING).delete()[0]:
            removed += 1
    return removed
