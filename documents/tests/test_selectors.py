import pytest

from documents import selectors
from documents.models import Document
from documents.tests.factories import DocumentFactory, DocumentPageFactory

pytestmark = pytest.mark.django_db


def test_completed_pages_stay_in_the_workspace_and_in_order(workspace, other_workspace):
    first = DocumentFactory(workspace=workspace)
    second = DocumentFactory(workspace=workspace)
    pending = DocumentFactory(workspace=workspace, status=Document.Status.PROCESSING)
    foreign = DocumentFactory(workspace=other_workspace)
    for document in (first, second, pending, foreign):
        for number in (2, 1):
            DocumentPageFactory(document=document, number=number, text=f"{document.filename} p{number}")
    pages = selectors.completed_pages(workspace=workspace, document_ids=[second.id, first.id, pending.id, foreign.id])
    assert [(p.document_id, p.number) for p in pages] == [(first.id, 1), (first.id, 2), (second.id, 1), (second.id, 2)]
