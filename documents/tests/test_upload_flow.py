"""The upload flow on local storage, end to end: ask → PUT to the signed Orbit URL → confirm → processed."""

import pytest
from rest_framework.test import APIClient

from documents.models import Document
from documents.tests import flow, samples
from workspaces.models import ActivityEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(member):
    return member("editor")


def test_pdf_upload_is_processed_page_by_page(editor, workspace, django_capture_on_commit_callbacks, local_storage):
    data = samples.text_pdf(3)
    asked = flow.ask(editor, workspace, filename="sow.pdf", data=data, content_type="application/pdf")
    assert asked.status_code == 201
    body = asked.json()
    assert body["document"]["status"] == "pending"
    assert body["upload"]["method"] == "PUT"
    assert body["upload"]["headers"] == {"Content-Type": "application/pdf"}
    assert "token=" in body["upload"]["url"]
    # The signed URL is the only credential: an anonymous client can send the bytes.
    assert flow.send(body["upload"], data, client=APIClient()) == 200

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = flow.confirm(editor, workspace, body["document"]["id"])
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["status"] == "uploaded"

    document = Document.objects.get(pk=body["document"]["id"])
    assert document.status == Document.Status.COMPLETED
    assert document.page_count == 3
    assert document.detected_type == "application/pdf"
    assert document.size_bytes == len(data)
    assert document.scan_status == Document.ScanStatus.CLEAN
    import hashlib

    assert document.sha256 == hashlib.sha256(data).hexdigest()
    pages = list(document.pages.order_by("number"))
    assert [p.number for p in pages] == [1, 2, 3]
    for page in pages:
        assert samples.page_text(page.number) in page.text
        assert samples.page_text(page.number + 1) not in page.text
        assert page.ocr is False
    assert document.extracted_text.split("\f")[1] == pages[1].text
    assert local_storage.exists(document.storage_key)
    assert not local_storage.exists(document.upload_key)  # the upload object is gone once its bytes are kept
    verbs = list(ActivityEvent.objects.filter(target_id=str(document.id)).values_list("verb", flat=True))
    assert sorted(verbs) == ["document.processed", "document.uploaded"]
