"""OpenAPI: every operation documents the error envelope for the statuses it can answer."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from orbit.errors import ERROR_CODES
from orbit.internals import ResponsesAutoSchema


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=sorted(ERROR_CODES), help_text="Stable, machine-readable error code.")
    message = serializers.CharField(help_text="Human-readable explanation.")
    details = serializers.DictField(help_text="Field errors, limits or other structured context.")


@extend_schema_serializer(component_name="ErrorEnvelope")
class ErrorEnvelopeSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


class AutoSchema(ResponsesAutoSchema):
    def add_responses(self, responses, direction):
        # 403 for reads too: some lists need a role above viewer (e.g. invitations need admin).
        for code in ("400", "401", "403", "404", "429", "500"):
            responses.setdefault(code, self.response_for(ErrorEnvelopeSerializer, code, direction))
        return responses


class OrbitJWTScheme(SimpleJWTScheme):
    """Documents `orbit.authentication.JWTAuthentication` as the bearer scheme it is."""

    target_class = "orbit.authentication.JWTAuthentication"
    name = "jwtAuth"
