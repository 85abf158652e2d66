"""Staff can find documents and pages in the admin: lists, search and filters render."""

import pytest

from documents.tests.factories import DocumentFactory, DocumentPageFactory

pytestmark = pytest.mark.django_db


def test_document_admin_list_search_filter_and_change(staff_client):
    document = DocumentFactory(filename="Acme RFP.pdf")
    DocumentPageFactory(document=document, number=1, text="deliverables and budget")
    DocumentFactory(filename="Other brief.txt")
    response = staff_client.get("/admin/documents/document/", {"q": "Acme"})
    assert response.status_code == 200
    assert b"Acme RFP.pdf" in response.content
    assert b"Other brief.txt" not in response.content
    assert staff_client.get("/admin/documents/document/", {"status__exact": "failed"}).status_code == 200
    change = staff_client.get(f"/admin/documents/document/{document.id}/change/")
    assert change.status_code == 200
    assert b"deliverables and budget" in change.content


def test_page_admin_searches_text(staff_client):
    page = DocumentPageFactory(text="a unique phrase about timelines")
    other = DocumentPageFactory(text="something else")
    response = staff_client.get("/admin/documents/documentpage/", {"q": "unique phrase"})
    assert response.status_code == 200
    assert str(page.document).encode() in response.content
    assert str(other.document).encode() not in response.content
    assert staff_client.get("/admin/documents/documentpage/", {"ocr__exact": "1"}).status_code == 200
