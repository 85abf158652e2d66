"""The processing pipeline run by the worker: claim → download → extract pages → store, exactly once per run.

Delivery is at least once (django-q2's `retry` is a lease), so every step is guarded:
- the claim is a conditional UPDATE (uploaded, or processing with a claim older than the lease);
- the claim is identified by (processing_run, claimed_at); progress and the final write only touch the row
  while that claim still holds, so a worker that lost its lease, or a document deleted or reprocessed
  meanwhile, writes nothing;
- the final write replaces the pages and records `document.processed` in one transaction, once per run.
Storage outages are retried with exponential backoff (a django-q ONCE schedule); files that cannot be read
fail at once with a readable error.
"""

import tempfile
from datetime import timedelta
from pathlib import Path

import structlog
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import schedule

from documents import text_extraction
from documents.models import Document, DocumentPage
from documents.services.lifecycle import PIPELINE, mark_failed, record_event
from orbit import worker
from orbit.blobstore import BlobMissing, BlobUnavailable, get_blob_store
from workspaces.activity import Verb

logger = structlog.get_logger(__name__)

PAGE_SEPARATOR = "\f"


def _claim(document_id: str) -> tuple[Document, object] | None:
    return PIPELINE.claim(document_id, queryset=Document.objects.select_related("workspace"), pages_done=0)


def _fail(document: Document, claim, message: str) -> bool:
    return mark_failed(
        document,
        rows=claim,
        message=message,
        actor=None,
        stage="processing",
        metadata={"run": document.processing_run},
        claimed_at=None,
    )


def _retry_later(document: Document, claim, reason: str) -> str:
    attempts = document.processing_attempts
    if attempts >= PIPELINE.max_attempts:
        _fail(document, claim, f"Storage was unavailable on {attempts} attempts; try reprocessing later.")
        return "failed"
    delay = settings.DOCUMENT_RETRY_BACKOFF * 2 ** (attempts - 1)
    with transaction.atomic():
        if claim.update(
            status=Document.Status.UPLOADED,
            claimed_at=None,
            error=f"Storage unavailable; retrying in {delay} s (attempt {attempts}).",
            updated_at=timezone.now(),
        ):
            schedule(
                PIPELINE.task,
                str(document.id),
                schedule_type=Schedule.ONCE,
                repeats=-1,  # a ONCE schedule with negative repeats deletes itself after firing
                next_run=timezone.now() + timedelta(seconds=delay),
            )
    logger.warning("document_processing_retry", document_id=str(document.id), attempt=attempts, reason=reason)
    return "retry"


def _store(document: Document, claim, pages: list[text_extraction.ExtractedPage]) -> bool:
    with transaction.atomic():
        if not worker.holds(claim):
            return False
        DocumentPage.objects.filter(document=document).delete()
        DocumentPage.objects.bulk_create(
            DocumentPage(
                document=document,
                number=p.number,
                text=p.text,
                ocr=p.ocr,
                confidence=p.confidence,
                layout=[list(hint) for hint in p.layout],
            )
            for p in pages
        )
        now = timezone.now()
        claim.update(
            status=Document.Status.COMPLETED,
            extracted_text=PAGE_SEPARATOR.join(p.text for p in pages),
            page_count=len(pages),
            pages_done=len(pages),
            error="",
            claimed_at=None,
            processed_at=now,
            updated_at=now,
        )
        record_event(
            document,
            Verb.DOCUMENT_PROCESSED,
            actor=None,
            run=document.processing_run,
            page_count=len(pages),
            ocr_pages=sum(1 for p in pages if p.ocr),
        )
    return True


def _extract_and_store(document: Document, claim) -> str:
    def progress(done: int, total: int | None) -> None:
        claim.update(pages_done=done, page_count=total)

    try:
        # One copy on local disk (the parsers and pdfium want a path), hashed on the way; nothing held in memory.
        with tempfile.NamedTemporaryFile(prefix="orbit-doc-") as local:
            _size, sha256 = get_blob_store().download_into(document.storage_key, local)
            local.flush()
            if document.sha256 and sha256 != document.sha256:
                raise text_extraction.ExtractionFailed("The stored file changed after it was checked; upload it again.")
            pages = text_extraction.extract(Path(local.name), document.detected_type, progress=progress)
    except BlobMissing:
        _fail(document, claim, "The file is missing from storage; upload it again.")
        return "failed"
    except BlobUnavailable as exc:
        return _retry_later(document, claim, str(exc))
    except text_extraction.ExtractionFailed as exc:
        _fail(document, claim, str(exc))
        return "failed"
    except (OperationalError, InterfaceError):
        raise  # the database, not the file: leave the claim to expire and be picked up again
    except Exception:
        logger.exception("document_processing_crashed", document_id=str(document.id))
        _fail(document, claim, "The file could not be processed because of an internal error; try reprocessing.")
        return "failed"
    return "completed" if _store(document, claim, pages) else "skipped"


def process(document_id: str) -> str:
    """Run the pipeline for one document. Returns what happened: completed, failed, retry or skipped."""
    return PIPELINE.run_claimed(_claim(document_id), _extract_and_store, fail=_fail)
