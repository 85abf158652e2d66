"""End to end through a real `qcluster` worker on the ORM broker: upload a fixture document over the API →
processed by the worker → POST ai/extract/ → the worker builds a scope whose sections cite that document's pages."""

import os
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django_q.conf import Conf

from ai.models import AIRun
from documents.models import Document
from documents.tests import flow
from orbit.testing import start_qcluster

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FIXTURE = (
    Path(django_settings.BASE_DIR).parent / "shared" / "fixtures" / "documents" / "psf-request-for__2019-Q1-PyPI_RFP.md"
)


@pytest.fixture
def worker(tmp_path, settings, monkeypatch):
    """Local storage in tmp_path for this process and the worker; tasks go to the broker, not run in-process."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    settings.API_PUBLIC_URL = "http://testserver"
    monkeypatch.setattr(Conf, "SYNC", False)
    process = start_qcluster(MEDIA_ROOT=str(tmp_path), AWS_STORAGE_BUCKET_NAME="", AI_PROVIDER="builtin")
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_for(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)
    return value


def test_upload_process_extract_through_the_worker(worker, member, workspace):
    if not FIXTURE.exists():
        pytest.skip(f"fixture missing: {FIXTURE}")
    client = member("editor")
    confirmed = flow.upload(
        client, workspace, filename=FIXTURE.name, data=FIXTURE.read_bytes(), content_type="text/markdown"
    )
    assert confirmed.status_code == 200, confirmed.json()
    document = Document.objects.get(pk=confirmed.json()["id"])
    wait_for(
        lambda: Document.objects.get(pk=document.pk).status == Document.Status.COMPLETED,
        timeout=90,
        what="the worker to process the document",
    )

    asked = client.post(
        f"/api/workspaces/{workspace.pk}/ai/extract/", {"document_ids": [str(document.pk)]}, format="json"
    )
    assert asked.status_code == 202
    assert asked.json()["status"] == "queued"  # not run in the request
    run_url = f"/api/workspaces/{workspace.pk}/ai/runs/{asked.json()['id']}/"
    run = wait_for(
        lambda: (r := client.get(run_url).json())["status"] in ("succeeded", "failed") and r,
        timeout=90,
        what="the worker to run the extraction",
    )
    assert run["status"] == "succeeded", run["error"]
    sections = client.get(f"/api/workspaces/{workspace.pk}/scopes/{run['scope_id']}/sections/").json()
    assert len(sections) >= 3
    pages = {p.number: " ".join(p.text.split()) for p in document.pages.all()}
    cited = [source for section in sections for source in section["sources"]]
    assert cited
    assert all(s["document_id"] == str(document.pk) for s in cited)
    assert all(" ".join(s["quote"].split()) in pages[s["page"]] for s in cited)
    assert AIRun.objects.get(pk=run["id"]).scope.sections.count() == len(sections)
