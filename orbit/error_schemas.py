"""The error envelope per HTTP status, with the `details` each status carries (issue 9: a typed client should not
get `{[key: string]: unknown}`). `orbit.schema.AutoSchema` answers each documented error status with the
component named here; `orbit.errors.error_codes_by_status()` says which codes each status can carry.

The shapes are what the code sends: `orbit.exception_handler` (DRF's exceptions), the `details=` of each raised
`OrbitError`, `orbit.concurrency.lost_update` (412) and `billing.plans.enforce_limit` (402)."""

from orbit.errors import error_codes_by_status

REF = "#/components/schemas/"
STRING_LIST = {"type": "array", "items": {"type": "string"}}

# 400 validation_error: each field maps to its messages; a nested object's errors nest the same way, and a
# list's are either one entry per item (an object, empty for a valid item) or an object keyed by the index.
FIELD_ERRORS = {
    "type": "object",
    "description": "Field name → its messages. Errors of a nested object nest under its field the same way; a "
    "list's errors are one entry per item (`{}` for a valid one) or an object keyed by the item's index.",
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"anyOf": [{"type": "string"}, {"$ref": f"{REF}FieldErrors"}]}},
            {"$ref": f"{REF}FieldErrors"},
            {"type": "string"},  # DRF keeps a ValidationError({"field": "message"}) unwrapped
        ]
    },
}

NO_DETAILS = {"type": "object", "description": "Empty: the code and message say it all.", "maxProperties": 0}


def _described(schema: dict, description: str) -> dict:
    return {**schema, "description": description} if description else schema


def _object(properties: dict, required=(), description: str = "") -> dict:
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return _described(schema, description)


def _string(description: str = "", **keywords) -> dict:
    """A string property, with any further keywords (`format`, `enum`)."""
    return _described({"type": "string", **keywords}, description)


def _integer(description: str = "") -> dict:
    return _described({"type": "integer"}, description)


def _strings(description: str) -> dict:
    return _described(STRING_LIST, description)


# status -> (component name, description of the response, schema of `details`)
DETAILS_BY_STATUS = {
    "400": (
        "ValidationError",
        "Invalid body or parameters (`validation_error`: `details` names each bad field), or a body that is not "
        "JSON (`parse_error`) or a malformed request (`bad_request`), which have no details.",
        {"$ref": f"{REF}FieldErrors"},
    ),
    "401": (
        "NotAuthenticatedError",
        "No valid credentials.",
        _object(
            {
                "messages": {
                    "type": "array",
                    "items": {"type": "object", "additionalProperties": {"type": "string"}},
                    "description": "Why the access token was refused (token_class, token_type, message).",
                }
            },
            description="Empty, or `messages` when an access token was refused.",
        ),
    ),
    "402": (
        "PlanLimitExceededError",
        "The workspace's plan limit is reached; nothing already in the workspace is removed.",
        _object(
            {
                "limit": _integer("The plan's limit."),
                "usage": _integer("What the workspace uses now."),
                "plan": _string("The plan in force (a `Plan` code)."),
                "limit_name": _string("Which limit, e.g. `members`."),
                "applies_to": _string(enum=["new_actions_only"]),
                "subscribed_plan": _string(
                    "Only when the subscribed plan is not in force (past due beyond the grace period)."
                ),
            },
            required=("limit", "usage", "plan", "limit_name", "applies_to"),
        ),
    ),
    "403": (
        "PermissionDeniedError",
        "The caller's role does not allow this, or a CSRF token is missing (`csrf_failed`).",
        _object(
            {
                "provider": _string("The AI provider that was asked for."),
                "expected_content_type": _string(),
                "content_type": _string(),
            },
            description="Usually empty; names what was refused where that helps.",
        ),
    ),
    "404": (
        "NotFoundError",
        "No such resource here, or an id in the body is not an object of this workspace.",
        {
            "type": "object",
            "description": "Empty for the addressed resource; for ids in the body, the body field → the ids that "
            "were not found in this workspace.",
            "additionalProperties": STRING_LIST,
        },
    ),
    "405": ("MethodNotAllowedError", "The HTTP method is not allowed here.", NO_DETAILS),
    "406": ("NotAcceptableError", "The requested representation is not available.", NO_DETAILS),
    "409": (
        "ConflictError",
        "The request conflicts with the current state.",
        _object(
            {
                "from": _string("A refused transition: the scope's status."),
                "to": _string("A refused transition: the status asked for."),
                "allowed": _strings("A refused transition: where the scope can go."),
                "status": _string("A retry refused: the run's or export's status."),
                "step": _string("An onboarding step done out of order: the one to do."),
                "scope_id": _string("The scope in the trash.", format="uuid"),
                "document_ids": _strings("Documents that are not processed."),
                "statuses": {"type": "object", "additionalProperties": {"type": "string"}},
                "portal": _string("Billing: where to go instead."),
                "subscription": _string("Billing: where to go instead."),
                "checkout": _string("Billing: where to go instead."),
            },
            description="What the conflict is about; which keys depend on the operation (see its description).",
        ),
    ),
    "410": ("GoneError", "The invitation expired or was revoked.", NO_DETAILS),
    "411": ("LengthRequiredError", "An upload without Content-Length.", NO_DETAILS),
    "412": (
        "PreconditionFailedError",
        "If-Match did not match: someone else saved first. Re-read (the current ETag is in the header), apply "
        "your change again.",
        {
            "oneOf": [
                _object(
                    {
                        "current_version": _integer("The version now stored."),
                        "expected_version": _integer("The version If-Match named."),
                    },
                    required=("current_version", "expected_version"),
                    description="Someone else saved first.",
                ),
                _object(
                    {
                        "if_match": _string(),
                        "current_version": _integer("The version now stored."),
                    },
                    required=("if_match", "current_version"),
                    description="The If-Match header is not one of our ETags.",
                ),
            ]
        },
    ),
    "413": (
        "PayloadTooLargeError",
        "The body or file is too large.",
        _object(
            {
                "limit": _integer("The largest size allowed, in bytes."),
                "size": _integer("The size sent or declared, in bytes."),
                "plan": _string("The plan whose file-size limit applies."),
                "limit_name": _string(enum=["max_file_bytes", "declared_size"]),
            },
            description="For a file: its size and the limit; empty for a request body.",
        ),
    ),
    "415": (
        "UnsupportedMediaTypeError",
        "The file type (or the body's Content-Type) is not accepted.",
        _object(
            {
                "accepted": _strings("The types that are accepted."),
                "content_type": _string("The type that was declared."),
                "declared": _string("The type declared when asking for the upload."),
                "detected": _string("What the file's contents are."),
            },
            required=("accepted",),
        ),
    ),
    "422": (
        "UnprocessableError",
        "The Idempotency-Key was used with another request, or the malware scan rejected the file.",
        _object(
            {
                "key": _string("idempotency_key_reused: the key."),
                "first_request": _object(
                    {"method": _string(), "path": _string()},
                    required=("method", "path"),
                    description="idempotency_key_reused: the request the key was first used with.",
                ),
                "signature": _string("malware_detected: what the scanner found."),
            }
        ),
    ),
    "429": (
        "RateLimitedError",
        "Too many requests; wait for the Retry-After header's seconds.",
        _object({"retry_after": {"type": ["integer", "null"], "description": "Seconds to wait."}}),
    ),
    "500": ("ServerError", "An unexpected error; the X-Request-ID header identifies it in the logs.", NO_DETAILS),
    "503": ("ServiceUnavailableError", "A service Orbit depends on is unavailable; try again.", NO_DETAILS),
}


def envelope_schema(status: str) -> tuple[str, str, dict]:
    """(component name, response description, envelope schema) of an error status."""
    name, description, details = DETAILS_BY_STATUS[status]
    codes = error_codes_by_status()[int(status)]
    error = _object(
        {
            "code": _string(
                "Stable, machine-readable error code.\n\n"
                + "\n".join(f"* `{code}`: {meaning}" for code, meaning in codes.items()),
                enum=list(codes),
            ),
            "message": _string("Human-readable explanation."),
            "details": details,
        },
        required=("code", "message", "details"),
    )
    return name, description, _object({"error": error}, required=("error",))
