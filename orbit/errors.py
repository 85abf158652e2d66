"""Coded business errors. Raise these from services; the exception handler renders the envelope.

Each class with a code of its own says what the code means (`description`); `error_codes_by_status()` lists every
code under its HTTP status for the schema (orbit/error_schemas.py), from these classes (every app's) and
OTHER_CODES, the codes DRF, the token authentication and Django answer with."""

from functools import cache

from django.core.exceptions import ImproperlyConfigured
from rest_framework import status


class OrbitError(Exception):
    """Base of every error Orbit raises on purpose: a stable `code`, an HTTP status, a message and details."""

    code = "error"
    http_status = status.HTTP_400_BAD_REQUEST
    default_message = "The request could not be completed."
    description = ""  # what the code means, listed with it in the schema

    def __init__(self, message: str | None = None, *, details: dict | None = None, headers: dict | None = None):
        self.message = message or self.default_message
        self.details = details or {}
        self.headers = headers or {}
        super().__init__(self.message)

    def __init_subclass__(cls, **kwargs):
        """A class that answers a code of its own must say what it means, or the schema could not list it."""
        super().__init_subclass__(**kwargs)
        own = vars(cls)
        if not (own.get("description") if "code" in own else cls.description):
            raise TypeError(f"{cls.__name__} answers the code {cls.code!r}: give it a description of its own.")


class ValidationFailed(OrbitError):
    code, http_status, default_message = "validation_error", 400, "The request is invalid."
    description = "The request body or parameters are invalid; `details` maps fields to messages."


class BadRequest(OrbitError):
    code, http_status, default_message = "bad_request", 400, "The request is malformed."
    description = "The request is malformed (for example a Host header this server does not serve)."


class NotAuthenticated(OrbitError):
    code, http_status, default_message = "not_authenticated", 401, "No valid credentials were given."
    description = "No valid credentials were given."


class NotFound(OrbitError):
    code, http_status, default_message = "not_found", 404, "Not found."
    description = "No such resource, or it belongs to a workspace the caller is not a member of."


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
    description = "The caller's role does not allow this action."


class MethodNotAllowed(OrbitError):
    code, http_status, default_message = "method_not_allowed", 405, "The HTTP method is not allowed here."
    description = "The HTTP method is not allowed here."


class NotAcceptable(OrbitError):
    code, http_status, default_message = "not_acceptable", 406, "The requested representation is not available."
    description = "The requested representation is not available."


class Conflict(OrbitError):
    code, http_status, default_message = "conflict", 409, "The request conflicts with the current state."
    description = "The request conflicts with the current state."


class PreconditionFailed(OrbitError):
    code, http_status, default_message = "precondition_failed", 412, "A precondition of the request failed."
    description = "If-Match did not match the current version."


class IdempotencyKeyReused(OrbitError):
    code, http_status = "idempotency_key_reused", 422
    default_message = "This Idempotency-Key was already used with a different request."
    description = "The Idempotency-Key was already used with a different request."


class PlanLimitExceeded(OrbitError):
    code, http_status, default_message = "plan_limit_exceeded", 402, "Your plan's limit has been reached."
    description = "The workspace's plan limit is reached; `details` carries limit, usage and plan."


class PayloadTooLarge(OrbitError):
    code, http_status, default_message = "payload_too_large", 413, "The request body is too large."
    description = "The payload or file is too large."


class UnsupportedMediaType(OrbitError):
    code, http_status, default_message = "unsupported_media_type", 415, "The body type is not supported."
    description = "The body or file type is not supported."


class RateLimited(OrbitError):
    code, http_status, default_message = "rate_limited", 429, "Too many requests. Try again later."
    description = "Too many requests; see the Retry-After header."


class ServerError(OrbitError):
    code, http_status = "server_error", 500
    default_message = "An unexpected error occurred. Quote the request id when reporting it."
    description = "An unexpected error; the request id identifies it in the logs."


class AIUnavailable(OrbitError):
    code, http_status, default_message = "ai_unavailable", 503, "The AI provider is unavailable."
    description = "The AI provider is unavailable."


class MalwareDetected(OrbitError):
    code, http_status, default_message = "malware_detected", 422, "The file was rejected by the malware scan."
    description = "The malware scan rejected the file; it was deleted from storage."


class ServiceUnavailable(OrbitError):
    code, http_status, default_message = "service_unavailable", 503, "A service Orbit depends on is unavailable."
    description = "Storage or the malware scanner is unavailable; nothing was changed, try again."


class LengthRequired(OrbitError):
    code, http_status, default_message = "length_required", 411, "The request needs a Content-Length header."
    description = "An upload without a Content-Length header (e.g. chunked); send the file with its length."


# Codes the API answers with that no OrbitError carries: DRF's, the token authentication's and Django's CSRF
# check's, under their status with what they mean.
OTHER_CODES = {
    400: {"parse_error": "The request body is not valid JSON."},
    401: {
        "authentication_failed": "The credentials are invalid.",
        "bad_authorization_header": "The Authorization header is not `Bearer <token>`.",
        "token_not_valid": "The access token is malformed, expired or revoked.",
        "password_changed": "The access token predates a password change; exchange the session or sign in again.",
        "user_inactive": "The access token's account is deactivated.",
        "user_not_found": "The access token's account no longer exists.",
    },
    403: {"csrf_failed": "A cookie-authenticated request (browser auth client) came without a valid CSRF token."},
}


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def codes_by_status(error_classes, others: dict[int, dict[str, str]]) -> dict[int, dict[str, str]]:
    """{status: {code: what it means}} of `error_classes` and `others`, statuses and their codes in order. A code
    given two statuses or two meanings is a mistake: ImproperlyConfigured."""
    found = {code: (status, meaning) for status, codes in others.items() for code, meaning in codes.items()}
    for error in error_classes:
        entry = (error.http_status, error.description)
        if found.setdefault(error.code, entry) != entry:
            raise ImproperlyConfigured(f"The error code {error.code!r} is both {found[error.code]} and {entry}.")
    by_status: dict[int, dict[str, str]] = {}
    for code, (http_status, meaning) in sorted(found.items(), key=lambda item: (item[1][0], item[0])):
        by_status.setdefault(http_status, {})[code] = meaning
    return by_status


def error_codes_by_status() -> dict[int, dict[str, str]]:
    """Every code the API may answer with, under its status, with what it means: each OrbitError subclass's (of
    every app once the URLconf is loaded, as it is when the schema is generated from it) and OTHER_CODES.
    Shared between calls while no error class is added: read it, do not change it."""
    return _codes_of(tuple(_subclasses(OrbitError)))


@cache
def _codes_of(error_classes: tuple) -> dict[int, dict[str, str]]:
    return codes_by_status(error_classes, OTHER_CODES)
