"""Guards in front of every view, so no body or error path answers HTML or a 500 on the API.

- `JsonBodyGuardMiddleware`: a JSON body nested deeper than MAX_JSON_DEPTH is refused with 400
  `validation_error` before anything parses it (Python's json recurses and a 2 KB `[[[[...]]]]` raised
  RecursionError: a 500 in DRF, Django's debug page in allauth). It guards every body sent as JSON, and every
  body on the auth API, which allauth parses with json.loads whatever its Content-Type; a malformed body on the
  auth API also gets JSON here (allauth answered an empty text/html 400); form posts there (the browser's
  Google redirect) are allauth's to read.
- `JsonErrorsMiddleware`: on /api/ and /_allauth/, an error response that is not JSON (Django's debug pages with
  DEBUG on, a bare 405 or 400 from a library view) is replaced by the envelope for its status, headers kept.

On the auth API both answer in allauth's own shape (`status`, `errors`) *and* Orbit's envelope (`error`), so an
allauth client and an Orbit client each find what they read.
"""

import json
import re

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse

from orbit.errors import (
    BadRequest,
    Conflict,
    MethodNotAllowed,
    NotAcceptable,
    NotAuthenticated,
    NotFound,
    OrbitError,
    PayloadTooLarge,
    PermissionDenied,
    PreconditionFailed,
    RateLimited,
    ServerError,
    ServiceUnavailable,
    UnsupportedMediaType,
    ValidationFailed,
)
from orbit.exception_handler import envelope

MAX_JSON_DEPTH = 64  # Orbit's deepest body (a template's sections' sources) is 4 levels
API_PREFIXES = ("/api/", "/_allauth/")
AUTH_API_PREFIX = "/_allauth/"
HTML_PAGES = ("/api/docs/", "/api/redoc/", "/_allauth/openapi.html")  # documentation meant for browsers

# A JSON string (skipped whole, so brackets inside it do not count) or one bracket.
_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_OPENERS = (b"[", b"{")

# The answer to a bare HTTP status (a library's or Django's own error page): Orbit's error of that status.
GENERIC_ERRORS = {
    error.http_status: error
    for error in (
        BadRequest,
        NotAuthenticated,
        PermissionDenied,
        NotFound,
        MethodNotAllowed,
        NotAcceptable,
        Conflict,
        PreconditionFailed,
        PayloadTooLarge,
        UnsupportedMediaType,
        RateLimited,
        ServerError,
        ServiceUnavailable,
    )
}


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when `body` opens more than `limit` arrays/objects inside one another. Linear, no recursion."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth = 0
    for match in _TOKENS.finditer(body):
        token = match.group()
        if token in _OPENERS:
            depth += 1
            if depth > limit:
                return True
        elif len(token) == 1:
            depth -= 1
    return False


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIXES)


def error_response(request, error: OrbitError, status: int | None = None) -> JsonResponse:
    """`error` in the envelope, with its HTTP status unless `status` is given."""
    status = status or error.http_status
    body = envelope(error.code, error.message, error.details)
    if request.path.startswith(AUTH_API_PREFIX):
        param = next(iter(error.details), None)
        body = {"status": status, "errors": [{"code": error.code, "message": error.message, "param": param}], **body}
    return JsonResponse(body, status=status, headers=error.headers)


def status_response(request, status: int) -> JsonResponse:
    """The generic error answer for an HTTP status (a 4xx not listed is a bad request, a 5xx a server error)."""
    error = GENERIC_ERRORS.get(status) or GENERIC_ERRORS[500 if status >= 500 else 400]
    return error_response(request, error(), status)


def _body_error(message: str) -> ValidationFailed:
    return ValidationFailed(message, details={"body": [message]})


def _is_form(content_type: str) -> bool:
    """A browser form post (the Google redirect flow): allauth reads it as a form, not as JSON."""
    return content_type.split(";", 1)[0].strip().lower() in ("application/x-www-form-urlencoded", "multipart/form-data")


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class JsonBodyGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        auth_api = request.path.startswith(AUTH_API_PREFIX)
        if request.method != "GET" and (auth_api or _is_json(request.content_type or "")):
            try:
                body = request.body
            except RequestDataTooBig:
                return error_response(request, PayloadTooLarge())
            if json_depth_exceeds(body):
                return error_response(
                    request, _body_error(f"The JSON body is nested deeper than {MAX_JSON_DEPTH} levels.")
                )
            if auth_api and body and not _is_form(request.content_type or ""):
                try:
                    json.loads(body)
                except ValueError:  # UnicodeDecodeError included
                    return error_response(request, _body_error("The request body is not valid JSON."))
        return self.get_response(request)


class JsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not is_api_path(request.path)
            or request.path.startswith(HTML_PAGES)
            or _is_json(response.get("Content-Type", ""))
        ):
            return response
        replacement = status_response(request, response.status_code)
        for header, value in response.items():
            if header.lower() not in ("content-type", "content-length"):
                replacement[header] = value
        return replacement
