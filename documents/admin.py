from django.contrib import admin

from documents.models import Document, DocumentPage
from documents.services import reprocess_document
from orbit.admin import FixedRowsInline, staff_action


class DocumentPageInline(FixedRowsInline):
    model = DocumentPage
    fields = ["number", "ocr", "confidence", "text"]
    readonly_fields = fields


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = [
        "filename",
        "workspace",
        "status",
        "detected_type",
        "size_bytes",
        "page_count",
        "scan_status",
        "created_at",
    ]
    list_filter = ["status", "scan_status", "detected_type", "blob_stored", "created_at"]
    search_fields = [
        "filename",
        "sha256",
        "storage_key",
        "workspace__name",
        "workspace__slug",
        "uploaded_by__email",
        "id",
    ]
    list_select_related = ["workspace"]
    raw_id_fields = ["workspace", "uploaded_by"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "id",
        "storage_key",
        "sha256",
        "detected_type",
        "blob_stored",
        "scan_status",
        "scan_signature",
        "processing_run",
        "processing_attempts",
        "claimed_at",
        "confirmed_at",
        "processed_at",
        "pages_done",
        "created_at",
        "updated_at",
    ]
    exclude = ["extracted_text"]
    inlines = [DocumentPageInline]
    actions = ["reprocess"]

    @staff_action("Reprocess selected (extract the text again)", done="Queued")
    def reprocess(self, request, document):
        return reprocess_document(document=document, actor=request.user)


@admin.register(DocumentPage)
class DocumentPageAdmin(admin.ModelAdmin):
    list_display = ["document", "number", "ocr", "confidence"]
    list_filter = ["ocr", "document__detected_type"]
    search_fields = ["text", "document__filename", "document__id"]
    list_select_related = ["document"]
    raw_id_fields = ["document"]
