"""OpenAPI: every operation documents the error envelope for the statuses it can answer, and the headers and
parameters its decorators add (`@idempotent`, `@if_match`, `@sends_etag`, `@answers`), so the documentation
comes from the code that does the work instead of being repeated by hand in each view."""

import copy

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from orbit.error_schemas import DETAILS_BY_STATUS, FIELD_ERRORS, envelope_schema
from orbit.internals import ResponsesAutoSchema

# Every operation can answer these (bad input, no/expired credentials, role too low, not here, an Accept header
# that JSON does not satisfy, throttled, bug).
COMMON_ERROR_STATUSES = ("400", "401", "403", "404", "406", "429", "500")
# Every 429 says when to come back.
RETRY_AFTER = {"schema": {"type": "integer"}, "description": "Seconds to wait before retrying.", "required": True}
# Every operation that takes a body can also answer these (the body too large; a body type it does not parse).
BODY_ERROR_STATUSES = ("413", "415")


def declare(view_method, *, statuses=(), parameters=(), headers=None):
    """Record on a view method what its decorator adds to the contract; AutoSchema reads it back.

    `statuses`: extra error statuses; `parameters`: OpenApiParameters (request headers); `headers`:
    {header name: (description, statuses it comes with, "2xx" for every success[, required])}: a header is
    documented as always sent (`required`) unless a third item says False. Markers survive `@action`
    and `functools.wraps`, unlike a nested `@extend_schema`.
    """
    contract = dict(getattr(view_method, "orbit_contract", {}))
    contract["statuses"] = {*contract.get("statuses", ()), *(str(code) for code in statuses)}
    contract["parameters"] = [*contract.get("parameters", ()), *parameters]
    contract["headers"] = {**contract.get("headers", {}), **(headers or {})}
    view_method.orbit_contract = contract
    return view_method


# Named schemas written by hand (error envelopes, JSON columns' shapes), added to every generated schema.
_COMPONENTS: dict[str, dict] = {}


def component(name: str, schema: dict) -> dict:
    """Register a hand-written schema component (for JSON columns whose shape no serializer describes) and
    return its `$ref`, for `extend_schema_field` and other components to use."""
    _COMPONENTS[name] = schema
    return {"$ref": f"#/components/schemas/{name}"}


def documented(field_class, schema, **kwargs) -> serializers.Field:
    """`field_class(**kwargs)`, which behaves as it always does, documented with `schema` (a JSON schema dict,
    e.g. a `component` $ref, or a serializer) instead of what drf-spectacular would infer."""
    return extend_schema_field(schema)(type(f"Documented{field_class.__name__}", (field_class,), {}))(**kwargs)


def stored_json(schema, **kwargs) -> serializers.JSONField:
    """A JSON column answered as it is stored, documented with `schema`."""
    return documented(serializers.JSONField, schema, **kwargs)


def answers(*statuses):
    """`@answers(402, 409)` on a view method: it can also answer these statuses (with the error envelope)."""
    return lambda view_method: declare(view_method, statuses=statuses)


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, machine-readable error code.")
    message = serializers.CharField(help_text="Human-readable explanation.")
    details = serializers.DictField(help_text="Field errors, limits or other structured context.")


@extend_schema_serializer(component_name="ErrorEnvelope")
class ErrorEnvelopeSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


class AutoSchema(ResponsesAutoSchema):
    def _contract(self) -> dict:
        name = getattr(self.view, "action", None) or self.method.lower()
        return getattr(getattr(self.view, name, None), "orbit_contract", {})

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        named = {p.name for p in parameters if isinstance(p, OpenApiParameter)}
        return parameters + [p for p in self._contract().get("parameters", ()) if p.name not in named]

    def add_responses(self, responses, direction):
        contract = self._contract()
        takes_body = self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None
        # 403 for reads too: some lists need a role above viewer (e.g. invitations need admin).
        codes = {*COMMON_ERROR_STATUSES, *(BODY_ERROR_STATUSES if takes_body else ()), *contract.get("statuses", ())}
        for code in sorted(codes):
            responses.setdefault(code, self.error_response(code, direction))
        responses["429"].setdefault("headers", {})["Retry-After"] = RETRY_AFTER
        for name, (description, statuses, *always) in contract.get("headers", {}).items():
            for code, response in responses.items():
                if code in statuses or ("2xx" in statuses and code.startswith("2")):
                    response.setdefault("headers", {})[name] = {
                        "schema": {"type": "string"},
                        "description": description,
                        "required": always[0] if always else True,
                    }
        return responses

    def error_response(self, code: str, direction: str) -> dict:
        """The error envelope of status `code`, with the `details` that status carries (orbit/error_schemas.py)."""
        if code not in DETAILS_BY_STATUS:
            return self.response_for(ErrorEnvelopeSerializer, code, direction)
        # Every status's envelope is a component, documented or not yet, so clients can name each one.
        components = {"FieldErrors": FIELD_ERRORS, **_COMPONENTS}
        for status in DETAILS_BY_STATUS:
            name, _, schema = envelope_schema(status)
            components[name] = schema
        for name, schema in components.items():
            # A copy: drf-spectacular's hooks rewrite components in place (inline enums become $refs), and the
            # next generation must start from the original.
            schema = copy.deepcopy(schema)
            self.registry.register_on_missing(ResolvedComponent(name, ResolvedComponent.SCHEMA, schema, name))
        name, description, _ = envelope_schema(code)
        ref = {"$ref": f"#/components/schemas/{name}"}
        return self.response_for(OpenApiResponse(response=ref, description=description), code, direction)


class OrbitJWTScheme(SimpleJWTScheme):
    """Documents `orbit.authentication.JWTAuthentication` as the bearer scheme it is."""

    target_class = "orbit.authentication.JWTAuthentication"
    name = "jwtAuth"


def _without_nullable(schema: dict) -> dict:
    """One schema object in OpenAPI 3.1 form: `nullable: true` (3.0) becomes a `null` type or a `null` branch."""
    if not schema.pop("nullable", False):
        return schema
    if isinstance(schema.get("type"), str):
        schema["type"] = [schema["type"], "null"]
    elif isinstance(schema.get("type"), list):
        schema["type"] = [*schema["type"], *(["null"] if "null" not in schema["type"] else [])]
    elif "$ref" in schema or "allOf" in schema:
        branch = {"$ref": schema.pop("$ref")} if "$ref" in schema else {"allOf": schema.pop("allOf")}
        schema["oneOf"] = [branch, {"type": "null"}]
    elif "oneOf" in schema or "anyOf" in schema:
        schema["oneOf" if "oneOf" in schema else "anyOf"].append({"type": "null"})
    return schema


_EMPTY_STRING = {"type": "string", "maxLength": 0}


def _blank_as_any_of(schema: dict) -> dict:
    """drf-spectacular documents a field that also takes "" (`allow_blank` with a format or pattern) as
    `oneOf: [X, {maxLength: 0}]`; "" can match both (formats are not always asserted), and oneOf then refuses
    it. Either branch is what is meant: anyOf."""
    if _EMPTY_STRING in schema.get("oneOf", ()):
        schema["anyOf"] = schema.pop("oneOf")
    return schema


def _walk(node):
    if isinstance(node, dict):
        for value in node.values():
            _walk(value)
        _without_nullable(node)
        _blank_as_any_of(node)
    elif isinstance(node, list):
        for value in node:
            _walk(value)


def nullable_as_oas31(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry. The schema is OpenAPI 3.1 (`OAS_VERSION`), where `nullable` does not exist:
    drf-spectacular converts the fields it builds, not the raw schemas of libraries (DRF's paginator answers
    `nullable` for `next`/`previous`) or of `extend_schema_field`. Convert what is left, so a strict validator
    accepts every null the server sends; and let "" match a blank-or-formatted field once (`_blank_as_any_of`)."""
    _walk(result)
    return result
