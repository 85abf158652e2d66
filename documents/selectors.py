"""Reads on documents. List querysets stay light: no text columns, one query whatever the number of rows."""

from django.db.models import QuerySet, Sum

from documents.models import Document, DocumentPage

# Large text columns the list and detail never show; the text and pages endpoints serve them.
HEAVY_FIELDS = ("extracted_text",)


def document_list(queryset: QuerySet) -> QuerySet:
    """`queryset` is the view's workspace-scoped queryset."""
    return queryset.select_related("uploaded_by").defer(*HEAVY_FIELDS)


def document_pages(*, document: Document) -> QuerySet:
    return DocumentPage.objects.filter(document=document).order_by("number")


def completed_pages(*, workspace, document_ids) -> QuerySet:
    """Pages of the workspace's completed documents among `document_ids`, in document then page order.

    For readers of the extracted text (the AI extractor): ids from another workspace, or of documents not yet
    processed, simply yield nothing.
    """
    return (
        DocumentPage.objects.filter(
            document__workspace=workspace,
            document__status=Document.Status.COMPLETED,
            document_id__in=list(document_ids),
        )
        .select_related("document")
        .defer("document__extracted_text")
        .order_by("document__created_at", "document_id", "number")
    )


def storage_bytes_used(workspace, since) -> int:
    """Bytes of every document whose file is stored (confirmed and not rejected); `since` does not apply."""
    return (
        Document.objects.filter(workspace=workspace).with_stored_blob().aggregate(total=Sum("size_bytes"))["total"] or 0
    )
