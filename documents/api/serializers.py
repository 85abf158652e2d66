from typing import TypedDict

from rest_framework import serializers

from accounts.api.serializers import UserSummarySerializer
from documents import file_types
from documents.models import Document, DocumentPage
from orbit.schema import component, documented
from orbit.serializers import ReadOnlyModelSerializer


class DocumentCreateSerializer(serializers.Serializer):
    filename = serializers.CharField(max_length=255)
    size = serializers.IntegerField(min_value=0, help_text="Size in bytes of the file about to be uploaded.")
    content_type = documented(
        serializers.CharField,
        component("UploadContentTypeEnum", {"type": "string", "enum": list(file_types.ACCEPTED_TYPES)}),
        max_length=127,
        help_text="The file's type; any other is a 415 that lists these (usual aliases such as image/jpg and "
        "parameters such as `; charset=utf-8` are accepted too).",
    )
    project_id = serializers.UUIDField(required=False, allow_null=True)
    scope_id = serializers.UUIDField(required=False, allow_null=True)


class DocumentUpdateSerializer(serializers.Serializer):
    filename = serializers.CharField(max_length=255, required=False)
    project_id = serializers.UUIDField(required=False, allow_null=True)
    scope_id = serializers.UUIDField(required=False, allow_null=True)


class UploadTargetSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="Where to send the bytes; signed, short-lived, no login needed.")
    method = serializers.CharField()
    headers = serializers.DictField(
        child=serializers.CharField(),
        help_text="Headers to send with the bytes. The body must be the size declared when asking, with its "
        "Content-Length (no chunked uploads).",
    )
    expires_at = serializers.DateTimeField()


class Progress(TypedDict):
    pages_done: int
    page_count: int | None


class DocumentSerializer(ReadOnlyModelSerializer):
    uploaded_by = UserSummarySerializer(read_only=True, allow_null=True)
    progress = serializers.SerializerMethodField()
    project_id = serializers.UUIDField(read_only=True, allow_null=True)
    scope_id = serializers.UUIDField(read_only=True, allow_null=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "filename",
            "content_type",
            "detected_type",
            "size_bytes",
            "sha256",
            "status",
            "error",
            "scan_status",
            "page_count",
            "progress",
            "project_id",
            "scope_id",
            "uploaded_by",
            "created_at",
            "updated_at",
            "confirmed_at",
            "processed_at",
        ]

    def get_progress(self, document) -> Progress:
        """While processing: pages done out of the page count (null until the count is known)."""
        return {"pages_done": document.pages_done, "page_count": document.page_count}


class DocumentUploadSerializer(serializers.Serializer):
    document = DocumentSerializer()
    upload = UploadTargetSerializer()


class DownloadSerializer(serializers.Serializer):
    url = serializers.URLField()
    expires_at = serializers.DateTimeField()


class DocumentPageSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = DocumentPage
        fields = ["number", "text", "ocr", "confidence"]


class DocumentTextSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=Document.Status.choices)
    page_count = serializers.IntegerField(allow_null=True)
    text = serializers.CharField(help_text="All pages joined by form feeds (\\f).")
