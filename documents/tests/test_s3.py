"""The S3 path against a real S3 API: moto's threaded server on 127.0.0.1, boto3 presigned URLs, real HTTP.

moto does not enforce presigned signatures, expiry or Content-Type (INTEGRATION.md §5), so those rules are
not claimed here; what is proven is the flow, the keys, the object checks and the processing from S3.
"""

from datetime import timedelta

import boto3
import pytest
import requests
from botocore.exceptions import ClientError
from django.utils import timezone

from documents import tasks
from documents.models import Document
from documents.tests import flow, samples
from documents.tests.conftest import BUCKET, s3_storage_settings
from documents.tests.factories import DocumentFactory
from orbit.blobstore import get_blob_store
from orbit.testing import assert_error, free_port

pytestmark = pytest.mark.django_db


def _client(endpoint):
    return boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
    )


def _object_exists(endpoint, key) -> bool:
    """True or False as S3 says; any other failure (moto down, a wrong bucket) fails the test instead of reading
    as "the object is gone"."""
    try:
        _client(endpoint).head_object(Bucket=BUCKET, Key=key)
    except ClientError as exc:
        if exc.response["Error"]["Code"] in ("404", "NoSuchKey"):
            return False
        raise
    return True


def test_presigned_put_confirm_process_and_download(
    s3_storage, moto_endpoint, member, workspace, django_capture_on_commit_callbacks
):
    editor = member("editor")
    data = samples.text_pdf(4)
    asked = flow.ask(editor, workspace, filename="Brief 2026.pdf", data=data, content_type="application/pdf")
    assert asked.status_code == 201
    upload = asked.json()["upload"]
    assert upload["url"].startswith(moto_endpoint + "/" + BUCKET + "/")
    assert "X-Amz-Signature=" in upload["url"]
    assert flow.send(upload, data) == 200  # real HTTP PUT to the S3 server
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = flow.confirm(editor, workspace, asked.json()["document"]["id"])
    assert confirmed.status_code == 200, confirmed.json()

    document = Document.objects.get(pk=confirmed.json()["id"])
    assert document.status == Document.Status.COMPLETED
    assert document.page_count == 4
    assert [p.text.splitlines()[0] for p in document.pages.order_by("number")] == [
        samples.page_text(n) for n in range(1, 5)
    ]
    key = get_blob_store().object_key(document.storage_key)
    assert key.startswith(s3_storage.location + "/documents/")

    link = editor.get(f"/api/workspaces/{workspace.id}/documents/{document.id}/download/").json()
    assert "X-Amz-Signature=" in link["url"]
    downloaded = requests.get(link["url"], timeout=10)
    assert downloaded.status_code == 200
    assert downloaded.content == data
    assert "attachment" in downloaded.headers["Content-Disposition"]
    assert "Brief 2026.pdf" in downloaded.headers["Content-Disposition"]

    # Objects are private: the same object without a signature is refused.
    assert requests.get(f"{moto_endpoint}/{BUCKET}/{key}", timeout=10).status_code == 403  # S3's own, bodiless

    # The presigned PUT is still within its lifetime, but it points at the upload key: sending other bytes
    # there now changes nothing that is stored, downloaded or processed.
    assert not _object_exists(moto_endpoint, get_blob_store().object_key(document.upload_key))
    assert flow.send(upload, b"%PDF-1.7 swapped after the scan") == 200
    assert requests.get(link["url"], timeout=10).content == data
    with django_capture_on_commit_callbacks(execute=True):
        reprocessed = editor.post(f"/api/workspaces/{workspace.id}/documents/{document.id}/reprocess/")
    assert reprocessed.status_code == 202
    document.refresh_from_db()
    assert document.status == Document.Status.COMPLETED
    assert document.page_count == 4

    assert editor.delete(f"/api/workspaces/{workspace.id}/documents/{document.id}/").status_code == 204
    assert not _object_exists(moto_endpoint, key)
    assert not _object_exists(moto_endpoint, get_blob_store().object_key(document.upload_key))


def test_s3_type_mismatch_deletes_the_object(s3_storage, moto_endpoint, member, workspace):
    editor = member("editor")
    png = samples.png_of_text(["hello"])
    asked = flow.ask(editor, workspace, filename="x.pdf", data=png, content_type="application/pdf")
    flow.send(asked.json()["upload"], png)
    document = Document.objects.get(pk=asked.json()["document"]["id"])
    key = get_blob_store().object_key(document.upload_key)
    assert _object_exists(moto_endpoint, key)
    response = flow.confirm(editor, workspace, document.id)
    assert_error(response, 415, "unsupported_media_type")
    assert not _object_exists(moto_endpoint, key)
    assert not _object_exists(moto_endpoint, get_blob_store().object_key(document.storage_key))
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED


def test_s3_real_size_is_read_from_the_object(s3_storage, member, workspace, settings):
    editor = member("editor")
    settings.ORBIT_PLANS_OVERRIDE = {"free": {"max_file_bytes": 2000}}
    data = b"a line of plain text\n" * 200  # 4.2 kB; declared as 100 bytes
    asked = flow.ask(editor, workspace, filename="x.txt", data=data, content_type="text/plain", size=100)
    flow.send(asked.json()["upload"], data)
    response = flow.confirm(editor, workspace, asked.json()["document"]["id"])
    assert assert_error(response, 413, "payload_too_large")["size"] == len(data)
    assert Document.objects.get().status == Document.Status.FAILED


def test_storage_outage_is_retried_with_backoff(settings, moto_endpoint, workspace, s3_storage):
    from django_q.models import Schedule

    data = b"notes kept in S3"
    document = DocumentFactory(
        workspace=workspace, status=Document.Status.UPLOADED, size_bytes=len(data), page_count=None
    )
    _client(moto_endpoint).put_object(Bucket=BUCKET, Key=get_blob_store().object_key(document.storage_key), Body=data)

    # Point storage at a port where nothing listens: a network failure, retried later, not a failed document.
    location = s3_storage.location
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage_settings(f"http://127.0.0.1:{free_port()}", location=location),
    }
    before = timezone.now()
    assert tasks.process_document(str(document.id)) == "retry"
    document.refresh_from_db()
    assert document.status == Document.Status.UPLOADED
    assert document.processing_attempts == 1
    assert "retrying" in document.error
    retry = Schedule.objects.get(func="documents.tasks.process_document", args=repr((str(document.id),)))
    assert retry.schedule_type == Schedule.ONCE
    assert before + timedelta(seconds=settings.DOCUMENT_RETRY_BACKOFF - 1) <= retry.next_run

    # The second failure waits twice as long.
    Schedule.objects.filter(pk=retry.pk).delete()
    assert tasks.process_document(str(document.id)) == "retry"
    second = Schedule.objects.get(func="documents.tasks.process_document", args=repr((str(document.id),)))
    assert second.next_run >= before + timedelta(seconds=2 * settings.DOCUMENT_RETRY_BACKOFF - 1)

    # Storage is back: the scheduled run completes the document.
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage_settings(moto_endpoint, location=location)}
    assert tasks.process_document(str(document.id)) == "completed"
    document.refresh_from_db()
    assert document.status == Document.Status.COMPLETED
    assert document.extracted_text == data.decode()
    assert document.error == ""


def test_storage_outage_gives_up_after_max_attempts(settings, workspace, s3_storage):
    settings.DOCUMENT_PROCESSING_MAX_ATTEMPTS = 2
    document = DocumentFactory(workspace=workspace, status=Document.Status.UPLOADED)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage_settings(f"http://127.0.0.1:{free_port()}")}
    assert tasks.process_document(str(document.id)) == "retry"
    assert tasks.process_document(str(document.id)) == "failed"
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert "Storage was unavailable on 2 attempts" in document.error


def test_confirm_during_storage_outage_changes_nothing(settings, member, workspace, s3_storage):
    editor = member("editor")
    asked = flow.ask(editor, workspace, filename="x.txt", data=b"abc", content_type="text/plain")
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage_settings(f"http://127.0.0.1:{free_port()}")}
    response = flow.confirm(editor, workspace, asked.json()["document"]["id"])
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"
    assert Document.objects.get().status == Document.Status.PENDING


def test_s3_confirm_before_upload_is_a_conflict(s3_storage, member, workspace):
    editor = member("editor")
    asked = flow.ask(editor, workspace, filename="x.txt", data=b"abc", content_type="text/plain")
    response = flow.confirm(editor, workspace, asked.json()["document"]["id"])
    assert_error(response, 409, "conflict")
    assert Document.objects.get().status == Document.Status.PENDING


def test_s3_orphaned_upload_is_cleaned_up(s3_storage, moto_endpoint, member, workspace):
    from documents.cleanup import cleanup

    editor = member("editor")
    asked = flow.ask(editor, workspace, filename="x.txt", data=b"abc", content_type="text/plain")
    flow.send(asked.json()["upload"], b"abc")
    document = Document.objects.get()
    assert _object_exists(moto_endpoint, get_blob_store().object_key(document.upload_key))
    Document.objects.filter(pk=document.pk).update(created_at=timezone.now() - timedelta(days=2))
    assert cleanup(now=timezone.now())["orphaned uploads removed"] == 1
    assert not _object_exists(moto_endpoint, get_blob_store().object_key(document.upload_key))
    assert not Document.objects.exists()


def test_presigned_put_signs_the_declared_length(s3_storage, member, workspace):
    """Real S3 then refuses a body of any other size (moto does not check signatures, so only the URL is checked)."""
    from urllib.parse import parse_qs, urlsplit

    asked = flow.ask(member("editor"), workspace, filename="x.txt", data=b"abc", content_type="text/plain")
    query = parse_qs(urlsplit(asked.json()["upload"]["url"]).query)
    assert query["X-Amz-SignedHeaders"] == ["content-length;content-type;host"]
