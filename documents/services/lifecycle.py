"""A document's life after the upload: failing it (one way, for confirm and for the worker), discarding bytes,
deleting, reprocessing, and the cleanup sweeps."""

from datetime import timedelta

import structlog
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from documents.models import Document
from orbit import worker
from orbit.blobstore import BlobMissing, BlobUnavailable, get_blob_store
from orbit.errors import (
    Conflict,
    ServiceUnavailable,
)
from workspaces import activity
from workspaces.activity import Verb

logger = structlog.get_logger(__name__)


PIPELINE = worker.Pipeline(
    model=Document,
    task="documents.tasks.process_document",
    settings_prefix="DOCUMENT_PROCESSING",
    gave_up="Processing did not finish after several attempts; the file may be too large or damaged.",
    waiting=Document.Status.UPLOADED,
    running=Document.Status.PROCESSING,
    attempts="processing_attempts",
    run="processing_run",
)


def enqueue(document_id) -> None:
    """Queue processing once the current transaction commits."""
    PIPELINE.enqueue(document_id)


def record_event(document: Document, verb: Verb, *, actor, **metadata) -> None:
    """A document's activity event. Each names the file, so the feed still reads after a rename or a deletion."""
    activity.record(actor=actor, verb=verb, target=document, metadata={"filename": document.filename, **metadata})


def mark_failed(
    document: Document, *, rows, message: str, actor, stage: str, metadata: dict | None = None, **fields
) -> bool:
    """The one way a document fails: `rows` (a queryset on this document holding the condition that must still be
    true: still pending, or the worker's claim) becomes FAILED with `message`, plus `fields`, and
    `document.failed` is recorded, in one transaction. Returns whether this call failed it."""
    with transaction.atomic():
        changed = rows.update(status=Document.Status.FAILED, error=message, updated_at=timezone.now(), **fields)
        if changed:
            record_event(document, Verb.DOCUMENT_FAILED, actor=actor, stage=stage, **(metadata or {}))
    return bool(changed)


def discard(*keys: str) -> None:
    """Best-effort removal of objects nothing counts any more (a leftover upload, a refused file, a deleted row's)."""
    for key in keys:
        try:
            get_blob_store().delete(key)
        except (BlobMissing, BlobUnavailable):
            logger.warning("document_blob_delete_failed", key=key)


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
            record_event(document, Verb.DOCUMENT_DELETED, actor=actor, size_bytes=document.size_bytes)


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
    enqueue(locked.id)
    locked.refresh_from_db()
    record_event(locked, Verb.DOCUMENT_REPROCESSED, actor=actor, processing_run=locked.processing_run)
    return locked


def requeue_stale(*, now, dry_run: bool = False) -> int:
    """Queue again what a dead worker or a lost enqueue left behind: claims older than the lease, and uploads
    queued longer than the lease ago. The task's claim makes a duplicate enqueue harmless."""
    return PIPELINE.requeue_stale(now=now, dry_run=dry_run)


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
