"""Reads on documents. List querysets stay light: no text columns, one query whatever the number of rows."""

from django.db.models import QuerySet

from documents.models import Document, DocumentPage

# Large text columns the list and detail never show; the text and pages endpoints serve them.
HEAVY_FIELDS = ("extracted_text",)


def document_list(queryset: QuerySet) -> QuerySet:
    """`queryset` is the view's workspace-scoped queryset."""
    return queryset.select_related("uploaded_by").defer(*HEAVY_FIELDS)


def document_pages(*, document: Document) -> QuerySet:
    return DocumentPage.objects.filter(document=document).order_by("number")
