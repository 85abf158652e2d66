from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ai.models import AIRun
from ai.providers import PROVIDERS
from orbit.schema import documented, stored_json
from orbit.serializers import ReadOnlyModelSerializer

PROVIDER_HELP = "Owners and admins only: another configured provider for this run (default: AI_PROVIDER)."


def _provider_field():
    return serializers.ChoiceField(choices=list(PROVIDERS), required=False, allow_null=True, help_text=PROVIDER_HELP)


class ExtractRequestSerializer(serializers.Serializer):
    # At most AI_MAX_DOCUMENTS, checked by ai.services (a 400 naming document_ids); the schema says so.
    document_ids = documented(
        serializers.ListField,
        {
            "type": "array",
            "items": {"type": "string", "format": "uuid"},
            "minItems": 1,
            "maxItems": settings.AI_MAX_DOCUMENTS,
        },
        child=serializers.UUIDField(),
        min_length=1,
        help_text="Completed documents of this workspace, in order.",
    )
    project_id = serializers.UUIDField(required=False, allow_null=True)
    template_id = serializers.UUIDField(required=False, allow_null=True, help_text="An outline to follow.")
    title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    provider = _provider_field()


class SuggestRequestSerializer(serializers.Serializer):
    scope_id = serializers.UUIDField()
    section_id = serializers.UUIDField()
    provider = _provider_field()


class AnalyzeRequestSerializer(serializers.Serializer):
    scope_id = serializers.UUIDField()
    provider = _provider_field()


class RunErrorSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="ai_unavailable (provider not configured or down after retries), ai_invalid_answer (malformed, "
        "off-schema, empty or refused answer), not_found / conflict (an input changed meanwhile), "
        "plan_limit_exceeded, ai_failed, server_error."
    )
    message = serializers.CharField()


class AIRunSerializer(ReadOnlyModelSerializer):
    error = serializers.SerializerMethodField()
    scope_id = serializers.UUIDField(read_only=True, allow_null=True)
    user_id = serializers.UUIDField(read_only=True, allow_null=True)
    input = stored_json(
        {
            "type": "object",
            "description": "What the run was asked: extract {document_ids, project_id, template_id, title}; suggest "
            "{scope_id, section_id}; analyze {scope_id}.",
            "properties": {
                "document_ids": {"type": "array", "items": {"type": "string", "format": "uuid"}},
                "project_id": {"type": ["string", "null"], "format": "uuid"},
                "template_id": {"type": ["string", "null"], "format": "uuid"},
                "title": {"type": "string"},
                "scope_id": {"type": "string", "format": "uuid"},
                "section_id": {"type": "string", "format": "uuid"},
            },
        },
        source="input_params",
        read_only=True,
    )
    cost_usd = serializers.DecimalField(max_digits=12, decimal_places=6, read_only=True, coerce_to_string=True)
    result = serializers.SerializerMethodField()

    class Meta:
        model = AIRun
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "provider",
            "model",
            "error",
            "input",
            "scope_id",
            "result",
            "user_id",
            "chunks",
            "provider_calls",
            "input_tokens",
            "output_tokens",
            "cost_usd",
            "latency_ms",
            "cache_hit",
            "created_at",
            "started_at",
            "finished_at",
        ]

    def get_error(self, run) -> RunErrorSerializer(allow_null=True):  # type: ignore[valid-type]
        if run.status != AIRun.Status.FAILED:
            return None
        return {"code": run.error_code, "message": run.error_message}

    @extend_schema_field(
        {
            "oneOf": [
                {
                    "type": "object",
                    "properties": {
                        "section_id": {"type": "string", "format": "uuid"},
                        "suggestions": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "kind": {"type": "string", "enum": ["rewrite", "add", "remove"]},
                                    "rationale": {"type": "string"},
                                    "proposed_content": {"type": "string"},
                                },
                                "required": ["kind", "rationale", "proposed_content"],
                            },
                        },
                    },
                    "required": ["section_id", "suggestions"],
                },
                {"type": "null"},
            ]
        }
    )
    def get_result(self, run) -> dict | None:
        """Suggest runs: {section_id, suggestions: [{kind, rationale, proposed_content}]}. Extract: see scope_id;
        analyze: the scope's ai_analysis."""
        return run.result or None
