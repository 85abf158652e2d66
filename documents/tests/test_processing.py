"""The worker pipeline: claims, idempotency, stale claims, reprocessing, readable failures, cleanup."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from documents import processing, tasks
from documents.cleanup import cleanup
from documents.models import Document, DocumentPage
from documents.tests import flow, samples
from documents.tests.factories import DocumentFactory, stored_document
from orbit.testing import assert_error
from orbit.testing_state import unchanged
from workspaces.models import ActivityEvent

pytestmark = pytest.mark.django_db


def _events(document, verb):
    return ActivityEvent.objects.filter(verb=verb, target_id=str(document.id))


def test_task_is_idempotent(workspace, local_storage):
    document = stored_document(workspace, local_storage, samples.text_pdf(2), "application/pdf")
    assert tasks.process_document(str(document.id)) == "completed"
    assert tasks.process_document(str(document.id)) == "skipped"  # a re-delivered task is a no-op
    assert DocumentPage.objects.filter(document=document).count() == 2
    assert _events(document, "document.processed").count() == 1


def test_live_claim_is_not_taken_but_a_stale_one_is(workspace, local_storage, settings):
    document = stored_document(workspace, local_storage, samples.text_pdf(2), "application/pdf")
    Document.objects.filter(pk=document.pk).update(status=Document.Status.PROCESSING, claimed_at=timezone.now())
    assert tasks.process_document(str(document.id)) == "skipped"
    dead_at = timezone.now() - timedelta(seconds=settings.DOCUMENT_PROCESSING_LEASE + 1)
    Document.objects.filter(pk=document.pk).update(claimed_at=dead_at)
    assert tasks.process_document(str(document.id)) == "completed"
    document.refresh_from_db()
    assert document.status == Document.Status.COMPLETED
    assert document.page_count == 2


def test_cleanup_requeues_stale_processing(workspace, local_storage, settings):
    document = stored_document(workspace, local_storage, b"plain words", "text/plain")
    dead_at = timezone.now() - timedelta(seconds=settings.DOCUMENT_PROCESSING_LEASE + 1)
    Document.objects.filter(pk=document.pk).update(status=Document.Status.PROCESSING, claimed_at=dead_at)
    result = cleanup(now=timezone.now())  # tasks run in-process in tests (Q_CLUSTER sync)
    assert result["stale documents requeued"] == 1
    document.refresh_from_db()
    assert document.status == Document.Status.COMPLETED
    assert document.extracted_text == "plain words"


def test_a_worker_that_lost_its_claim_writes_nothing(workspace, local_storage):
    document = stored_document(workspace, local_storage, b"text", "text/plain")
    claimed_document, claim = processing._claim(str(document.id))
    # Meanwhile the lease expired and another worker re-claimed the document.
    Document.objects.filter(pk=document.pk).update(claimed_at=timezone.now() + timedelta(seconds=1))
    pages = [processing.text_extraction.ExtractedPage(number=1, text="late")]
    assert processing._store(claimed_document, claim, pages) is False
    assert not DocumentPage.objects.filter(document=document).exists()
    assert not _events(document, "document.processed").exists()


def test_worker_that_keeps_dying_ends_failed(workspace, local_storage, settings):
    document = stored_document(workspace, local_storage, b"text", "text/plain")
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.PROCESSING,
        claimed_at=timezone.now() - timedelta(days=1),
        processing_attempts=settings.DOCUMENT_PROCESSING_MAX_ATTEMPTS,
    )
    assert tasks.process_document(str(document.id)) == "failed"
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert "several attempts" in document.error


def test_reprocess_replaces_pages_without_duplicates(
    member, workspace, local_storage, django_capture_on_commit_callbacks
):
    editor = member("editor")
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = flow.upload(
            editor, workspace, filename="s.pdf", data=samples.text_pdf(3), content_type="application/pdf"
        )
    document = Document.objects.get(pk=confirmed.json()["id"])
    first_ids = set(document.pages.values_list("id", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(f"/api/workspaces/{workspace.id}/documents/{document.id}/reprocess/")
    assert response.status_code == 202
    document.refresh_from_db()
    assert document.status == Document.Status.COMPLETED
    assert document.pages.count() == 3
    assert set(document.pages.values_list("id", flat=True)).isdisjoint(first_ids)
    runs = sorted(e.metadata["run"] for e in _events(document, "document.processed"))
    assert runs == [1, 2]  # one event per run, never two for the same run
    assert tasks.process_document(str(document.id)) == "skipped"
    assert _events(document, "document.processed").count() == 2


@pytest.mark.parametrize(
    ("status", "blob_stored"),
    [
        pytest.param(Document.Status.PROCESSING, True, id="processing"),
        pytest.param(Document.Status.FAILED, False, id="no-file"),
    ],
)
def test_reprocess_refused_while_processing_or_without_file(member, workspace, status, blob_stored):
    editor = member("editor")
    document = DocumentFactory(workspace=workspace, status=status, blob_stored=blob_stored)
    with unchanged(Document.objects.all(), ActivityEvent.objects.all()):
        response = editor.post(f"/api/workspaces/{workspace.id}/documents/{document.id}/reprocess/")
        assert_error(response, 409, "conflict")


@pytest.mark.parametrize(
    ("data", "content_type", "message"),
    [
        (samples.text_pdf(2, encrypt="secret"), "application/pdf", "The PDF is password-protected"),
        (samples.damaged_pdf(), "application/pdf", "The PDF is damaged or not a valid PDF"),
    ],
)
def test_unreadable_pdf_ends_failed_with_a_readable_error(
    member, workspace, data, content_type, message, django_capture_on_commit_callbacks
):
    editor = member("editor")
    with django_capture_on_commit_callbacks(execute=True):
        response = flow.upload(editor, workspace, filename="x.pdf", data=data, content_type=content_type)
    assert response.status_code == 200  # the upload itself was fine
    detail = editor.get(f"/api/workspaces/{workspace.id}/documents/{response.json()['id']}/").json()
    assert detail["status"] == "failed"
    assert detail["error"].startswith(message)
    document = Document.objects.get(pk=detail["id"])
    assert _events(document, "document.failed").count() == 1
    assert document.blob_stored  # kept: the user may download it or reprocess it


def test_bytes_swapped_after_confirm_are_not_processed(workspace, local_storage):
    document = stored_document(workspace, local_storage, b"checked text", "text/plain", sha256="0" * 64)
    assert tasks.process_document(str(document.id)) == "failed"
    document.refresh_from_db()
    assert "changed after it was checked" in document.error


def test_missing_blob_fails(workspace):
    document = DocumentFactory(workspace=workspace, status=Document.Status.UPLOADED)
    assert tasks.process_document(str(document.id)) == "failed"
    document.refresh_from_db()
    assert "missing from storage" in document.error


def test_deleted_document_task_is_a_no_op(workspace):
    assert tasks.process_document("00000000-0000-0000-0000-000000000000") == "skipped"


def test_scanned_pdf_upload_through_the_api(member, workspace, django_capture_on_commit_callbacks):
    editor = member("editor")
    data = samples.scanned_pdf([["Project timeline twelve weeks"]])
    with django_capture_on_commit_callbacks(execute=True):
        response = flow.upload(editor, workspace, filename="scan.pdf", data=data, content_type="application/pdf")
    pages = editor.get(f"/api/workspaces/{workspace.id}/documents/{response.json()['id']}/pages/").json()["results"]
    assert len(pages) == 1
    assert pages[0]["ocr"] is True
    assert "timeline" in pages[0]["text"].lower().split()
    assert pages[0]["confidence"] > 0.8


def test_cleanup_removes_orphaned_pending_uploads(workspace, local_storage, settings):
    old = DocumentFactory(workspace=workspace, status=Document.Status.PENDING, blob_stored=False)
    local_storage.save(old.upload_key, ContentFile(b"never confirmed"))
    fresh = DocumentFactory(workspace=workspace, status=Document.Status.PENDING, blob_stored=False)
    Document.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    result = cleanup(now=timezone.now())
    assert result["orphaned uploads removed"] == 1
    assert not Document.objects.filter(pk=old.pk).exists()
    assert not local_storage.exists(old.upload_key)
    assert Document.objects.filter(pk=fresh.pk).exists()
    assert cleanup(now=timezone.now())["orphaned uploads removed"] == 0


def test_nul_and_form_feed_in_text_neither_crash_the_store_nor_shift_pages(workspace, local_storage, settings):
    # Detection samples the first 64 kB; a NUL further on used to reach PostgreSQL and crash the task.
    settings.DOCUMENT_TEXT_PAGE_CHARS = 200_000
    data = b"plain text line\n" * 5000 + b"before\x00after\fnext"
    document = stored_document(workspace, local_storage, data, "text/plain")
    assert tasks.process_document(str(document.id)) == "completed"
    document.refresh_from_db()
    assert document.page_count == 1
    assert document.extracted_text.split("\f") == [document.pages.get().text]
    assert document.extracted_text.endswith("beforeafter\nnext")


def test_download_into_streams_with_size_and_hash(workspace, local_storage):
    import hashlib
    import io

    from orbit.blobstore import CHUNK, get_blob_store

    store = get_blob_store()
    data = b"0123456789" * (CHUNK // 5)  # two chunks
    local_storage.save("documents/t/blob.bin", ContentFile(data))
    target = io.BytesIO()
    assert store.download_into("documents/t/blob.bin", target) == (len(data), hashlib.sha256(data).hexdigest())
    assert target.getvalue() == data
    capped = io.BytesIO()
    size, _ = store.download_into("documents/t/blob.bin", capped, max_bytes=CHUNK - 1)
    assert size > CHUNK - 1
    assert capped.getvalue() == b""  # stopped at the first chunk that proved the object too large


def test_bytes_go_when_a_row_is_deleted_outside_the_api(workspace, local_storage, django_capture_on_commit_callbacks):
    """The admin's delete, or a cascade, never calls the service: the post_delete receiver removes the blobs."""
    document = stored_document(workspace, local_storage, b"kept bytes", "text/plain")
    local_storage.save(document.upload_key, ContentFile(b"a second PUT"))
    with django_capture_on_commit_callbacks(execute=True):
        Document.objects.filter(pk=document.pk).delete()
    assert not local_storage.exists(document.storage_key)
    assert not local_storage.exists(document.upload_key)


def test_a_database_error_while_reporting_progress_is_not_a_damaged_pdf(workspace, local_storage):
    """The progress write failing mid-PDF comes out as the database error itself (process() re-raises those and
    leaves the claim to expire and be picked up again), not as ExtractionFailed("damaged")."""
    from django.db import OperationalError

    document = stored_document(workspace, local_storage, samples.text_pdf(3), "application/pdf")
    calls = []

    def flaky(done, total):
        calls.append(done)
        if done == 2:
            raise OperationalError("server closed the connection unexpectedly")

    with pytest.raises(OperationalError):
        processing.text_extraction.extract_pdf(Path(local_storage.path(document.storage_key)), progress=flaky)
    assert calls == [0, 1, 2]


def test_an_ocr_engine_failure_is_an_internal_error_not_a_damaged_pdf(workspace, local_storage, monkeypatch):
    from documents import ocr

    def broken(self, image):
        raise RuntimeError("onnxruntime: out of memory")

    monkeypatch.setattr(ocr.RapidOcrEngine, "recognize", broken)
    document = stored_document(workspace, local_storage, samples.scanned_pdf([["Scanned text"]]), "application/pdf")
    assert tasks.process_document(str(document.id)) == "failed"
    document.refresh_from_db()
    assert "internal error" in document.error
    assert "damaged" not in document.error
