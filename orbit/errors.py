"""Coded business errors. Raise these from services; the exception handler renders the envelope."""

from rest_framework import status


class OrbitError(Exception):
    """Base of every error Orbit raises on purpose: a stable `code`, an HTTP status, a message and details."""

    code = "error"
    http_status = status.HTTP_400_BAD_REQUEST
    default_message = "The request could not be completed."

    def __init__(self, message: str | None = None, *, details: dict | None = None, headers: dict | None = None):
        self.message = message or self.default_message
        self.details = details or {}
        self.headers = headers or {}
        super().__init__(self.message)


class ValidationFailed(OrbitError):
    code, http_status, default_message = "validation_error", 400, "The request is invalid."


class NotFound(OrbitError):
    code, http_status, default_message = "not_found", 404, "Not found."


# Maximum lengths of free text in request bodies (issue 9 item 7): titles short, prose generous. Serializers use
# these; the schema shows them as maxLength and a longer value is a 400 `validation_error` naming the field.
MAX_DESCRIPTION = 5_000
MAX_SUMMARY = 20_000
MAX_SECTION_CONTENT = 1_000_000  # a long appendix fits (scopes test_a_huge_section_stays_searchable)
MAX_TOKEN = 2_000
MAX_TITLE = 300  # a scope's or a section's title (the model's max_length)
MAX_QUOTE = 2_000  # a source's quote; AI-extracted quotes are cut to it (ai.postprocess)

# Maximum items of arrays in request bodies, likewise shown as maxItems. A scope's sections have no cap (they are
# as many as a document has parts), so a reorder's `order` is bounded by the scope's own sections instead.
MAX_SOURCES = 50  # sources of one section (AI extraction keeps its first 50 verified ones)
MAX_TEMPLATE_SECTIONS = 200  # sections of one template (a template made from a bigger scope is refused)
MAX_GOALS = 20  # a workspace's goals
MAX_INVITES = 20  # invitations sent at once from onboarding


def clip(text: str, limit: int) -> str:
    """Text Orbit writes itself (AI drafts, copies) cut to one of these maxima, so the API accepts it back:
    at most `limit` characters, at the last whitespace before the limit when that keeps more than half of it,
    else mid-word. Always a prefix of `text` (so a verified quote stays on its page)."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if not text[limit].isspace():
        space = max(cut.rfind(" "), cut.rfind("\n"), cut.rfind("\t"))
        if space > limit // 2:
            cut = cut[:space]
    return cut.rstrip()


def not_in_workspace(field: str, *ids) -> NotFound:
    """The one answer to "an id in the body is not an object of this workspace" (README, API conventions):
    404 `not_found`, `details` naming the body field and the ids that were not found."""
    return NotFound(f"Not found in this workspace: {field}.", details={field: [str(i) for i in ids]})


class PermissionDenied(OrbitError):
    code, http_status, default_message = "permission_denied", 403, "You do not have permission to perform this action."


class Conflict(OrbitError):
    code, http_status, default_message = "conflict", 409, "The request conflicts with the current state."


class PreconditionFailed(OrbitError):
    code, http_status, default_message = "precondition_failed", 412, "The resource was changed by someone else."


class IdempotencyKeyReused(OrbitError):
    code, http_status = "idempotency_key_reused", 422
    default_message = "This Idempotency-Key was already used with a different request."


class PlanLimitExceeded(OrbitError):
    code, http_status, default_message = "plan_limit_exceeded", 402, "Your plan's limit has been reached."


class PayloadTooLarge(OrbitError):
    code, http_status, default_message = "payload_too_large", 413, "The payload is too large."


class UnsupportedMediaType(OrbitError):
    code, http_status, default_message = "unsupported_media_type", 415, "This file type is not supported."


class RateLimited(OrbitError):
    code, http_status, default_message = "rate_limited", 429, "Too many requests. Try again later."


class AIUnavailable(OrbitError):
    code, http_status, default_message = "ai_unavailable", 503, "The AI provider is unavailable."


class MalwareDetected(OrbitError):
    code, http_status, default_message = "malware_detected", 422, "The file was rejected by the malware scan."


class ServiceUnavailable(OrbitError):
    code, http_status, default_message = "service_unavailable", 503, "A service Orbit depends on is unavailable."


class LengthRequired(OrbitError):
    code, http_status, default_message = "length_required", 411, "The request needs a Content-Length header."


# Stable codes the API may answer with, under the HTTP status that carries them, each with what it means. The
# schema documents each status's envelope with these (orbit/error_schemas.py); orbit/tests/test_schema_errors.py
# checks that every OrbitError's code is listed under its status.
ERROR_CODES_BY_STATUS = {
    400: {
        "validation_error": "The request body or parameters are invalid; `details` maps fields to messages.",
        "parse_error": "The request body is not valid JSON.",
        "bad_request": "The request is malformed (for example a Host header this server does not serve).",
    },
    401: {
        "not_authenticated": "No valid credentials were given.",
        "authentication_failed": "The credentials are invalid.",
        "bad_authorization_header": "The Authorization header is not `Bearer <token>`.",
        "token_not_valid": "The access token is malformed, expired or revoked.",
        "password_changed": "The access token predates a password change; exchange the session or sign in again.",
        "user_inactive": "The access token's account is deactivated.",
        "user_not_found": "The access token's account no longer exists.",
    },
    402: {
        "plan_limit_exceeded": "The workspace's plan limit is reached; `details` carries limit, usage and plan.",
    },
    403: {
        "permission_denied": "The caller's role does not allow this action.",
        "csrf_failed": "A cookie-authenticated request (browser auth client) came without a valid CSRF token.",
        "email_mismatch": "The invitation is for another email address, or that address is not verified yet.",
    },
    404: {
        "not_found": "No such resource, or it belongs to a workspace the caller is not a member of.",
    },
    405: {
        "method_not_allowed": "The HTTP method is not allowed here.",
    },
    406: {
        "not_acceptable": "The requested representation is not available.",
    },
    409: {
        "conflict": "The request conflicts with the current state.",
        "last_owner": "The change would leave the workspace without an owner.",
        "already_member": "The user is already a member of the workspace.",
        "invitation_used": "The invitation has already been accepted.",
    },
    410: {
        "invitation_expired": "The invitation has expired; ask for a new one.",
        "invitation_revoked": "The invitation was revoked.",
    },
    411: {
        "length_required": "An upload without a Content-Length header (e.g. chunked); send the file with its length.",
    },
    412: {
        "precondition_failed": "If-Match did not match the current version.",
    },
    413: {
        "payload_too_large": "The payload or file is too large.",
    },
    415: {
        "unsupported_media_type": "The body or file type is not supported.",
    },
    422: {
        "idempotency_key_reused": "The Idempotency-Key was already used with a different request.",
        "malware_detected": "The malware scan rejected the file; it was deleted from storage.",
    },
    429: {
        "rate_limited": "Too many requests; see the Retry-After header.",
    },
    500: {
        "server_error": "An unexpected error; the request id identifies it in the logs.",
    },
    503: {
        "service_unavailable": "Storage or the malware scanner is unavailable; nothing was changed, try again.",
        "ai_unavailable": "The AI provider is unavailable.",
    },
}
ERROR_CODES = {code: meaning for codes in ERROR_CODES_BY_STATUS.values() for code, meaning in codes.items()}
CODES_BY_STATUS = {status: tuple(codes) for status, codes in ERROR_CODES_BY_STATUS.items()}
