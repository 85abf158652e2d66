"""Bad uploads get a clear error; refused files are deleted from storage and their document marked failed."""

import pytest

from billing.plans import MB
from documents.models import Document
from documents.tests import flow, samples
from orbit.testing import assert_error
from orbit.testing_state import unchanged
from workspaces.models import ActivityEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(member):
    return member("editor")


def _send_and_confirm(client, workspace, *, data, content_type, filename="file", declared_size=None):
    asked = flow.ask(client, workspace, filename=filename, data=data, content_type=content_type, size=declared_size)
    assert asked.status_code == 201, asked.json()
    assert flow.send(asked.json()["upload"], data, client=client) == 200
    document = Document.objects.get(pk=asked.json()["document"]["id"])
    return document, flow.confirm(client, workspace, document.id)


def _assert_rejected(response, document, local_storage, *, status, code):
    assert response.status_code == status, response.json()
    assert response.json()["error"]["code"] == code
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert document.error == response.json()["error"]["message"]
    assert document.blob_stored is False
    assert not local_storage.exists(document.upload_key), "a refused file must be deleted from storage"
    assert not local_storage.exists(document.storage_key)
    event = ActivityEvent.objects.get(verb="document.failed", target_id=str(document.id))
    assert event.metadata["error"] == code


def test_declared_size_over_plan_is_refused_before_upload(editor, workspace):
    response = flow.ask(editor, workspace, filename="big.pdf", data=b"", content_type="application/pdf", size=11 * MB)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert response.json()["error"]["details"]["limit"] == 10 * MB
    assert not Document.objects.exists()


def test_declared_empty_file_is_refused(editor, workspace):
    response = flow.ask(editor, workspace, filename="e.txt", data=b"", content_type="text/plain")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert not Document.objects.exists()


def test_unsupported_declared_type_is_refused(editor, workspace):
    response = flow.ask(editor, workspace, filename="a.exe", data=b"MZ", content_type="application/x-msdownload")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert not Document.objects.exists()


def test_missing_fields_answer_validation_error(editor, workspace):
    response = editor.post(f"/api/workspaces/{workspace.id}/documents/", {"filename": "x.pdf"}, format="json")
    assert set(assert_error(response, 400, "validation_error")) == {"size", "content_type"}
    assert not Document.objects.exists()


def test_storage_quota_is_checked_when_asking(editor, workspace):
    from documents.tests.factories import DocumentFactory

    DocumentFactory(workspace=workspace, size_bytes=95 * MB)
    response = flow.ask(editor, workspace, filename="a.pdf", data=b"", content_type="application/pdf", size=6 * MB)
    assert response.status_code == 402
    error = response.json()["error"]
    assert error["code"] == "plan_limit_exceeded"
    assert error["details"]["limit_name"] == "storage_bytes"
    assert error["details"]["usage"] == 95 * MB


def _put_unchecked(local_storage, document, data: bytes) -> None:
    """Bytes that reached storage past every check of the PUT (a store that does not enforce the signed length,
    as moto does not): confirm must judge the object itself."""
    from django.core.files.base import ContentFile

    local_storage.save(document.upload_key, ContentFile(data))


def test_real_size_over_plan_at_confirm(editor, workspace, local_storage, settings):
    data = samples.text_pdf(3)  # ~2.5 kB, declared as 100 bytes
    asked = flow.ask(editor, workspace, filename="a.pdf", data=data, content_type="application/pdf", size=100)
    document = Document.objects.get(pk=asked.json()["document"]["id"])
    _put_unchecked(local_storage, document, data)
    settings.ORBIT_PLANS_OVERRIDE = {"free": {"max_file_bytes": 1000}}
    response = flow.confirm(editor, workspace, document.id)
    _assert_rejected(response, document, local_storage, status=413, code="payload_too_large")
    assert response.json()["error"]["details"]["size"] == len(data)


def test_local_put_larger_than_plan_is_refused(editor, workspace, settings):
    """The plan's max_file_bytes is checked on the declared size when asking, and a PUT may not exceed what was
    declared, so no PUT stores more than the plan allows."""
    settings.ORBIT_PLANS_OVERRIDE = {"free": {"max_file_bytes": 1000}}
    with unchanged(Document.objects.all()):
        too_big = flow.ask(editor, workspace, filename="a.txt", data=b"x" * 2000, content_type="text/plain")
        assert assert_error(too_big, 413, "payload_too_large")["limit_name"] == "max_file_bytes"
    asked = flow.ask(editor, workspace, filename="a.txt", data=b"x" * 10, content_type="text/plain")
    refused = flow.put(asked.json()["upload"], b"x" * 2000, client=editor)
    assert assert_error(refused, 413, "payload_too_large") == {"limit": 10, "size": 2000, "limit_name": "declared_size"}


def test_real_size_counted_against_storage_at_confirm(editor, workspace, local_storage, settings):
    from documents.tests.factories import DocumentFactory

    settings.ORBIT_PLANS_OVERRIDE = {"free": {"storage_bytes": 10_000}}
    DocumentFactory(workspace=workspace, size_bytes=9_000)
    data = b"plain text brief\n" * 100  # 1.7 kB, declared as 10 bytes
    asked = flow.ask(editor, workspace, filename="a.txt", data=data, content_type="text/plain", size=10)
    document = Document.objects.get(pk=asked.json()["document"]["id"])
    _put_unchecked(local_storage, document, data)
    response = flow.confirm(editor, workspace, document.id)
    _assert_rejected(response, document, local_storage, status=402, code="plan_limit_exceeded")
    assert response.json()["error"]["details"]["usage"] == 9_000


def test_empty_upload_is_refused_at_confirm(editor, workspace, local_storage):
    document, response = _send_and_confirm(editor, workspace, data=b"", content_type="text/plain", declared_size=5)
    _assert_rejected(response, document, local_storage, status=400, code="validation_error")
    assert response.json()["error"]["message"] == "The file is empty."


def test_type_is_decided_from_the_bytes(editor, workspace, local_storage):
    png = samples.png_of_text(["hello"])
    document, response = _send_and_confirm(editor, workspace, data=png, content_type="application/pdf")
    _assert_rejected(response, document, local_storage, status=415, code="unsupported_media_type")
    details = response.json()["error"]["details"]
    assert (details["declared"], details["detected"]) == ("application/pdf", "image/png")
    assert "image/png" in details["accepted"]  # every 415 says what is accepted (issue 9)


def test_pdf_named_and_declared_as_text_is_refused(editor, workspace, local_storage):
    document, response = _send_and_confirm(
        editor, workspace, data=samples.text_pdf(1), content_type="text/plain", filename="notes.txt"
    )
    _assert_rejected(response, document, local_storage, status=415, code="unsupported_media_type")


def test_other_zip_formats_are_not_docx(editor, workspace, local_storage):
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    document, response = _send_and_confirm(editor, workspace, data=samples.xlsx_like_zip(), content_type=docx_type)
    _assert_rejected(response, document, local_storage, status=415, code="unsupported_media_type")
    assert "Excel" in response.json()["error"]["message"]


def test_unsupported_binary_is_refused(editor, workspace, local_storage):
    gif = b"GIF89a" + b"\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 40
    document, response = _send_and_confirm(editor, workspace, data=gif, content_type="image/png")
    _assert_rejected(response, document, local_storage, status=415, code="unsupported_media_type")


def test_eicar_is_rejected_deleted_and_marked_infected(editor, workspace, local_storage):
    data = b"Project notes\n" + samples.EICAR + b"\n"
    document, response = _send_and_confirm(editor, workspace, data=data, content_type="text/plain")
    _assert_rejected(response, document, local_storage, status=422, code="malware_detected")
    document.refresh_from_db()
    assert document.scan_status == Document.ScanStatus.INFECTED
    assert document.scan_signature == "Eicar-Test-Signature"


def test_docx_decompression_bomb_is_refused(editor, workspace, local_storage, settings):
    settings.DOCUMENT_DOCX_MAX_UNCOMPRESSED_BYTES = 8 * MB
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    bomb = samples.docx_bomb(payload_bytes=20 * MB)
    assert len(bomb) < 100_000
    document, response = _send_and_confirm(editor, workspace, data=bomb, content_type=docx_type)
    _assert_rejected(response, document, local_storage, status=413, code="payload_too_large")
    assert "unpack to 20 MB" in response.json()["error"]["message"]


def test_docx_compression_ratio_is_limited(editor, workspace, local_storage):
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    document, response = _send_and_confirm(
        editor, workspace, data=samples.docx_bomb(payload_bytes=4 * MB), content_type=docx_type
    )
    _assert_rejected(response, document, local_storage, status=413, code="payload_too_large")
    assert "decompression bomb" in response.json()["error"]["message"]


def test_confirm_before_upload_is_a_conflict_and_changes_nothing(editor, workspace):
    asked = flow.ask(editor, workspace, filename="a.txt", data=b"abc", content_type="text/plain")
    with unchanged(Document.objects.all(), ActivityEvent.objects.all()):
        assert_error(flow.confirm(editor, workspace, asked.json()["document"]["id"]), 409, "conflict")
    assert Document.objects.get().status == Document.Status.PENDING


def test_confirm_twice_is_idempotent(editor, workspace, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = flow.upload(editor, workspace, filename="a.md", data=b"# Title\n\nBody", content_type="text/markdown")
    assert first.status_code == 200
    again = flow.confirm(editor, workspace, first.json()["id"])
    assert again.status_code == 200
    assert again.json()["status"] == "completed"
    assert ActivityEvent.objects.filter(verb="document.uploaded").count() == 1


def test_confirm_of_a_rejected_upload_is_a_conflict(editor, workspace):
    document, response = _send_and_confirm(editor, workspace, data=b"", content_type="text/plain", declared_size=3)
    with unchanged(Document.objects.all(), ActivityEvent.objects.all()):
        again = flow.confirm(editor, workspace, document.id)
        assert_error(again, 409, "conflict")
    assert "rejected" in again.json()["error"]["message"]


def test_put_after_confirm_is_refused(editor, workspace, django_capture_on_commit_callbacks):
    data = b"first version"
    asked = flow.ask(editor, workspace, filename="a.txt", data=data, content_type="text/plain")
    flow.send(asked.json()["upload"], data, client=editor)
    with django_capture_on_commit_callbacks(execute=True):
        flow.confirm(editor, workspace, asked.json()["document"]["id"])
    with unchanged(Document.objects.all(), ActivityEvent.objects.all()):
        assert_error(flow.put(asked.json()["upload"], b"swapped after the scan", client=editor), 409, "conflict")


@pytest.mark.parametrize("token_kind", ["re-pointed", "forged", "empty"])
def test_tampered_or_forged_upload_token_is_refused(editor, workspace, local_storage, token_kind):
    """The signed token is the whole credential: it names the key, so a token cannot be re-pointed at another
    document's key (any change breaks the signature), and a forged one is an unknown link."""
    import json
    from urllib.parse import unquote

    from django.core import signing

    asked = flow.ask(editor, workspace, filename="a.txt", data=b"abc", content_type="text/plain")
    upload = dict(asked.json()["upload"])
    document = Document.objects.get(pk=asked.json()["document"]["id"])
    base, token = upload["url"].split("token=", 1)
    payload = signing.loads(unquote(token), salt="orbit.blobstore")
    assert payload["k"] == document.upload_key
    repointed = json.dumps({**payload, "k": "documents/other/key.txt"}, separators=(",", ":"))
    body = signing.b64_encode(repointed.encode()).decode()
    tampered = body + ":" + unquote(token).rsplit(":", 1)[1]
    bad = {"re-pointed": tampered, "forged": "abc:def", "empty": ""}[token_kind]
    assert_error(flow.put({**upload, "url": base + "token=" + bad}, b"abc", client=editor), 404, "not_found")
    assert not local_storage.exists(document.upload_key)
    assert not local_storage.exists("documents/other/key.txt")


def test_expired_upload_link_is_refused(editor, workspace, settings, monkeypatch, local_storage):
    import time

    from django.core import signing

    asked = flow.ask(editor, workspace, filename="a.txt", data=b"abc", content_type="text/plain")
    later = time.time() + settings.SIGNED_URL_TTL + 5
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = flow.put(asked.json()["upload"], b"abc", client=editor)
    monkeypatch.undo()
    assert_error(response, 403, "permission_denied")
    assert "expired" in response.json()["error"]["message"]
    assert not local_storage.exists(Document.objects.get().upload_key)


def test_local_put_larger_than_declared_is_refused_and_stores_nothing(editor, workspace, local_storage):
    asked = flow.ask(editor, workspace, filename="a.txt", data=b"x" * 10, content_type="text/plain")
    document = Document.objects.get(pk=asked.json()["document"]["id"])
    assert assert_error(flow.put(asked.json()["upload"], b"x" * 11, client=editor), 413, "payload_too_large") == {
        "limit": 10,
        "size": 11,
        "limit_name": "declared_size",
    }
    assert not local_storage.exists(document.upload_key)
    assert flow.send(asked.json()["upload"], b"x" * 10, client=editor) == 200  # the declared size is fine
    document.refresh_from_db()
    assert document.status == Document.Status.PENDING


def test_local_put_body_is_capped_while_streaming(editor, workspace, local_storage):
    """A Content-Length that understates the body: only the declared bytes are read, never more."""
    from io import BytesIO
    from urllib.parse import unquote

    from orbit.blobviews import receive_upload
    from orbit.errors import PayloadTooLarge

    asked = flow.ask(editor, workspace, filename="a.txt", data=b"x" * 10, content_type="text/plain")
    document = Document.objects.get(pk=asked.json()["document"]["id"])
    token = asked.json()["upload"]["url"].split("token=", 1)[1]
    with pytest.raises(PayloadTooLarge) as refused:
        receive_upload(token=unquote(token), stream=BytesIO(b"y" * 5000), declared_length=10, content_type="text/plain")
    assert refused.value.details["limit_name"] == "declared_size"
    assert not local_storage.exists(document.upload_key)


def test_chunked_local_put_without_length_is_refused(editor, workspace, local_storage):
    from urllib.parse import urlsplit

    asked = flow.ask(editor, workspace, filename="a.txt", data=b"abc", content_type="text/plain")
    parts = urlsplit(asked.json()["upload"]["url"])
    response = editor.generic(
        "PUT", f"{parts.path}?{parts.query}", data=b"", content_type="text/plain", HTTP_TRANSFER_ENCODING="chunked"
    )
    assert response.status_code == 411
    assert response.json()["error"]["code"] == "length_required"
    document = Document.objects.get()
    assert not local_storage.exists(document.upload_key)
    assert document.status == Document.Status.PENDING


def test_confirm_racing_a_delete_leaves_no_orphaned_copy(editor, workspace, local_storage, monkeypatch):
    """The document is deleted (row and bytes) while confirm checks the upload: confirm answers 404 and removes
    the checked copy it wrote, which no row would ever account for."""
    from documents import services
    from orbit.blobstore import get_blob_store

    data = b"plain text brief"
    asked = flow.ask(editor, workspace, filename="a.txt", data=data, content_type="text/plain")
    assert flow.send(asked.json()["upload"], data, client=editor) == 200
    document = Document.objects.get(pk=asked.json()["document"]["id"])
    store = get_blob_store()
    real_put = store.put

    def delete_lands_just_before_the_write(key, stream, **kwargs):
        services.delete_document(document=Document.objects.get(pk=document.pk), actor=None)
        real_put(key, stream, **kwargs)

    monkeypatch.setattr(store, "put", delete_lands_just_before_the_write)
    response = flow.confirm(editor, workspace, document.id)
    assert_error(response, 404, "not_found")
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not local_storage.exists(document.storage_key)
    assert not local_storage.exists(document.upload_key)


def test_upload_and_download_tokens_are_not_interchangeable(editor, workspace, local_storage):
    from urllib.parse import urlsplit

    from django.core.files.base import ContentFile
    from rest_framework.test import APIClient

    from documents.tests.factories import DocumentFactory

    pending = flow.ask(editor, workspace, filename="a.txt", data=b"abc", content_type="text/plain").json()
    put_url = urlsplit(pending["upload"]["url"])
    # The PUT token does not download, even once bytes are there.
    assert flow.send(pending["upload"], b"abc", client=editor) == 200
    assert_error(APIClient().get(f"{put_url.path}?{put_url.query}"), 404, "not_found")

    stored = DocumentFactory(workspace=workspace, status=Document.Status.PENDING, blob_stored=True)
    local_storage.save(stored.storage_key, ContentFile(b"x"))
    get_url = urlsplit(editor.get(f"/api/workspaces/{workspace.id}/documents/{stored.id}/download/").json()["url"])
    # The GET token does not upload.
    response = APIClient().generic("PUT", f"{get_url.path}?{get_url.query}", data=b"x", content_type="text/plain")
    assert_error(response, 404, "not_found")
    assert not local_storage.exists(stored.upload_key)


def test_local_put_needs_the_content_type_it_was_given_like_s3(editor, workspace, local_storage):
    from urllib.parse import urlsplit

    asked = flow.ask(editor, workspace, filename="a.txt", data=b"abc", content_type="text/plain; charset=utf-8")
    upload = asked.json()["upload"]
    assert upload["headers"] == {"Content-Type": "text/plain"}
    parts = urlsplit(upload["url"])
    wrong = editor.generic("PUT", f"{parts.path}?{parts.query}", data=b"abc", content_type="application/octet-stream")
    assert assert_error(wrong, 403, "permission_denied")["expected_content_type"] == "text/plain"
    document = Document.objects.get()
    assert not local_storage.exists(document.upload_key)
    right = editor.generic("PUT", f"{parts.path}?{parts.query}", data=b"abc", content_type="text/plain; charset=utf-8")
    assert right.status_code == 200


def test_unconfirmed_uploads_reserve_their_declared_size(editor, workspace, settings):
    settings.ORBIT_PLANS_OVERRIDE = {"free": {"storage_bytes": 10_000}}
    first = flow.ask(editor, workspace, filename="a.txt", data=b"", content_type="text/plain", size=6_000)
    assert first.status_code == 201
    with unchanged(Document.objects.all()):
        second = flow.ask(editor, workspace, filename="b.txt", data=b"", content_type="text/plain", size=6_000)
    details = assert_error(second, 402, "plan_limit_exceeded")
    assert (details["pending_uploads_bytes"], details["usage"]) == (6_000, 0)
    assert "not confirmed yet reserve 6000" in second.json()["error"]["message"]
    # A rejected (failed) or abandoned upload no longer reserves anything.
    Document.objects.filter(pk=first.json()["document"]["id"]).update(status=Document.Status.FAILED)
    third = flow.ask(editor, workspace, filename="c.txt", data=b"", content_type="text/plain", size=6_000)
    assert third.status_code == 201
