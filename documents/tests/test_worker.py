"""Documents through a real `qcluster` worker: processing on the ORM broker, and a worker killed mid-document
that leaves it re-processable (stale claim picked up again, no duplicate pages or events)."""

import os
import signal
import time

import pytest
from django.utils import timezone
from django_q.tasks import async_task

from documents import services
from documents.models import Document
from documents.tests import samples
from documents.tests.factories import stored_document
from orbit.testing import start_qcluster
from workspaces.models import ActivityEvent

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def start_worker(tmp_path):
    """Starts `manage.py qcluster` on the test database with MEDIA_ROOT = the tests' storage folder."""
    started = []

    def start():
        process = start_qcluster(MEDIA_ROOT=str(tmp_path), AWS_STORAGE_BUCKET_NAME="")
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_for(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_worker_processes_a_document_from_the_broker(start_worker, workspace, local_storage):
    document = stored_document(workspace, local_storage, samples.text_pdf(3), "application/pdf")
    async_task("documents.tasks.process_document", str(document.id), sync=False)
    assert Document.objects.get(pk=document.pk).status == Document.Status.UPLOADED  # not run inline
    start_worker()
    _wait_for(
        lambda: Document.objects.get(pk=document.pk).status == Document.Status.COMPLETED,
        timeout=90,
        what="the worker to complete the document",
    )
    assert Document.objects.get(pk=document.pk).pages.count() == 3


def test_worker_killed_mid_document_leaves_it_reprocessable(start_worker, workspace, local_storage, settings):
    pages = [[f"Scanned page {n} of the tender", "Scope and budget"] for n in range(1, 9)]
    document = stored_document(workspace, local_storage, samples.scanned_pdf(pages), "application/pdf")
    async_task("documents.tasks.process_document", str(document.id), sync=False)
    worker = start_worker()
    # OCR takes about a second a page: wait until it is visibly part-way through, then kill the whole cluster.
    _wait_for(
        lambda: Document.objects.get(pk=document.pk).pages_done >= 2,
        timeout=120,
        what="the worker to get part-way through the OCR",
    )
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    stuck = Document.objects.get(pk=document.pk)
    assert stuck.status == Document.Status.PROCESSING
    assert stuck.pages.count() == 0  # nothing half-written: pages are stored only at the end

    # Within the lease the claim is respected; once it has passed, the sweep picks the document up again.
    assert services.requeue_stale(now=timezone.now()) == 0
    settings.DOCUMENT_PROCESSING_LEASE = 1
    time.sleep(1.5)
    assert services.requeue_stale(now=timezone.now()) == 1  # tests run the requeued task in-process
    done = Document.objects.get(pk=document.pk)
    assert done.status == Document.Status.COMPLETED
    assert done.pages.count() == 8
    assert done.processing_attempts == 2
    assert ActivityEvent.objects.filter(verb="document.processed", target_id=str(document.id)).count() == 1
