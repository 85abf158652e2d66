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

from orbit.exception_handler import envelope

MAX_JSON_DEPTH = 64  # Orbit's deepest body (a template's sections' sources) is 4 levels
API_PREFIXES = ("/api/", "/_allauth/")
AUTH_API_PREFIX = "/_allauth/"
HTML_PAGES = ("/api/docs/", "/api/redoc/", "/_allauth/openapi.html")  # documentation meant for browsers

# A JSON string (skipped whole, so brackets inside it do not count) or one bracket.
_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_OPENERS = (b"[", b"{")

CODES_BY_STATUS = {
    400: ("bad_request", "The request is malformed."),
    401: ("not_authenticated", "No valid credentials were given."),
    403: ("permission_denied", "You do not have permission to perform this action."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "The HTTP method is not allowed here."),
    406: ("not_acceptable", "The requested representation is not available."),
    409: ("conflict", "The request conflicts with the current state."),
    412: ("precondition_failed", "A precondition of the request failed."),
    413: ("payload_too_large", "The request body is too large."),
    415: ("unsupported_media_type", "The body type is not supported."),
    429: ("rate_limited", "Too many requests. Try again later."),
    500: ("server_error", "An unexpected error occurred. Quote the request id when reporting it."),
    503: ("service_unavailable", "The service is unavailable; try again."),
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


def error_response(request, status: int, code: str, message: str, details: dict | None = None) -> JsonResponse:
    body = envelope(code, message, details)
    if request.path.startswith(AUTH_API_PREFIX):
        param = next(iter(details or {}), None)
        body = {"status": status, "errors": [{"code": code, "message": message, "param": param}], **body}
    return JsonResponse(body, status=status)


def status_response(request, status: int) -> JsonResponse:
    """The generic error answer for an HTTP status (a 4xx not listed is a bad request, a 5xx a server error)."""
    code, message = CODES_BY_STATUS.get(status) or CODES_BY_STATUS[500 if status >= 500 else 400]
    return error_response(request, status, code, message)


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
                return error_response(request, 413, "payload_too_large", "The request body is too large.")
            if json_depth_exceeds(body):
                message = f"The JSON body is nested deeper than {MAX_JSON_DEPTH} levels."
                return error_response(request, 400, "validation_error", message, {"body": [message]})
            if auth_api and body and not _is_form(request.content_type or ""):
                try:
                    json.loads(body)
                except ValueError:  # UnicodeDecodeError included
                    message = "The request body is not valid JSON."
                    return error_response(request, 400, "validation_error", message, {"body": [message]})
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
