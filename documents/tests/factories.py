import factory
from django.core.files.base import ContentFile

from accounts.tests.factories import UserFactory
from documents.models import Document, DocumentPage
from workspaces.tests.factories import WorkspaceFactory


class DocumentFactory(factory.django.DjangoModelFactory):
    """A processed plain-text document (no bytes in storage unless a test puts them there)."""

    class Meta:
        model = Document

    workspace = factory.SubFactory(WorkspaceFactory)
    uploaded_by = factory.LazyAttribute(lambda o: o.workspace.owner)
    filename = factory.Sequence(lambda n: f"brief-{n}.txt")
    content_type = "text/plain"
    detected_type = "text/plain"
    size_bytes = 1024
    sha256 = ""
    storage_key = factory.LazyAttributeSequence(lambda o, n: f"documents/{o.workspace.id}/factory-{n}/{o.filename}")
    upload_key = factory.LazyAttribute(lambda o: "uploads/" + o.storage_key.removeprefix("documents/"))
    blob_stored = True
    status = Document.Status.COMPLETED
    scan_status = Document.ScanStatus.CLEAN
    page_count = 1
    processing_run = 1


class DocumentPageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentPage

    document = factory.SubFactory(DocumentFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Faker("paragraph")


__all__ = ["DocumentFactory", "DocumentPageFactory", "UserFactory"]


def stored_document(workspace, storage, data: bytes, content_type: str, **fields) -> Document:
    """An uploaded document whose bytes are in `storage`, ready for processing."""
    document = DocumentFactory(
        workspace=workspace,
        status=Document.Status.UPLOADED,
        detected_type=content_type,
        content_type=content_type,
        size_bytes=len(data),
        page_count=None,
        **fields,
    )
    storage.save(document.storage_key, ContentFile(data))
    return document
