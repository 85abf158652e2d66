from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import UserSummarySerializer
from exports import content, storage
from exports.models import Export
from orbit.schema import stored_json
from orbit.serializers import ReadOnlyModelSerializer


class ExportRequestSerializer(serializers.Serializer):
    """Documents the body; exports.services.clean_request checks it (unknown options are refused by name)."""

    format = serializers.ChoiceField(choices=Export.Format.choices)
    options = serializers.DictField(
        child=serializers.BooleanField(),
        required=False,
        help_text="Optional contents, each true or false: "
        + "; ".join(f"`{k}`: {v}" for k, v in content.OPTIONS.items()),
    )


class ExportDownloadSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="Signed and short-lived; no login needed.")
    expires_at = serializers.DateTimeField()


class ExportSerializer(ReadOnlyModelSerializer):
    scope_id = serializers.UUIDField(read_only=True)
    options = stored_json(
        {
            "type": "object",
            "properties": {name: {"type": "boolean"} for name in content.OPTIONS},
            "additionalProperties": False,
            "description": "The options the export was made with (see the request).",
        },
        read_only=True,
    )
    branding = stored_json(
        {
            "type": "object",
            "description": "The branding in force when the export was asked for.",
            "properties": {
                "plan": {"$ref": "#/components/schemas/PlanEnum"},
                "custom": {"type": "boolean", "description": "The plan allows custom branding."},
                "color": {"type": "string", "description": "The colour used, #RRGGBB."},
                "logo_url": {"type": "string", "description": "The logo used; empty for none."},
            },
            "required": ["plan", "custom", "color", "logo_url"],
        },
        read_only=True,
    )
    requested_by = UserSummarySerializer(read_only=True, allow_null=True)
    download = serializers.SerializerMethodField(help_text="Present once the export succeeded.")

    class Meta:
        model = Export
        fields = [
            "id",
            "scope_id",
            "format",
            "options",
            "content_hash",
            "status",
            "error",
            "size_bytes",
            "filename",
            "branding",
            "requested_by",
            "created_at",
            "updated_at",
            "finished_at",
            "download",
        ]

    @extend_schema_field(ExportDownloadSerializer(allow_null=True))
    def get_download(self, export: Export):
        if export.status != Export.Status.SUCCEEDED or not export.file_key:
            return None
        link = storage.download_link(export, request=self.context.get("request"))
        return {"url": link.url, "expires_at": link.expires_at}
