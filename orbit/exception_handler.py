"""One error envelope for every error: `{"error": {"code", "message", "details"}}`."""

import math

import structlog
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import set_rollback

from orbit.errors import BadRequest, OrbitError, PayloadTooLarge, ServerError

logger = structlog.get_logger(__name__)

# DRF's default codes that Orbit renames to its own stable vocabulary.
_CODE_ALIASES = {
    "invalid": "validation_error",
    "error": "server_error",
    "throttled": "rate_limited",
}


def envelope(code: str, message: str, details: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def _first_message(detail) -> str:
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    if isinstance(detail, dict) and detail:
        return _first_message(next(iter(detail.values())))
    return str(detail)


def _from_api_exception(exc: exceptions.APIException) -> tuple[str, str, dict]:
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return "validation_error", _first_message(exc.detail) or "The request is invalid.", detail
    if isinstance(exc, exceptions.Throttled):
        return "rate_limited", "Too many requests. Try again later.", {"retry_after": exc.wait and math.ceil(exc.wait)}
    detail = exc.detail
    details = {}
    if isinstance(detail, dict):
        # simplejwt's InvalidToken carries {"detail", "code", "messages"}.
        code = str(detail.get("code") or exc.default_code)
        message = str(detail.get("detail") or exc.default_detail)
        details = {key: value for key, value in detail.items() if key not in ("detail", "code")}
    else:
        code = getattr(detail, "code", None) or exc.default_code
        message = str(detail)
    return _CODE_ALIASES.get(code, code), message, details


def exception_handler(exc, context):
    """DRF EXCEPTION_HANDLER: every error, expected or not, leaves in the envelope."""
    headers = {}
    if isinstance(exc, RequestDataTooBig):  # the body passed DATA_UPLOAD_MAX_MEMORY_SIZE while DRF parsed it
        exc = PayloadTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        exc = BadRequest()
    if isinstance(exc, OrbitError):
        return _response(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=serializers.as_serializer_error(exc))

    if isinstance(exc, exceptions.APIException):
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if isinstance(exc, exceptions.Throttled):  # always, as documented: at least a second when DRF cannot say
            headers["Retry-After"] = str(max(1, math.ceil(exc.wait or 0)))
        code, message, details = _from_api_exception(exc)
        if isinstance(exc, exceptions.UnsupportedMediaType) and context.get("request") is not None:
            # Every 415 says what is accepted: here the body types this view parses.
            details["accepted"] = [parser.media_type for parser in context["request"].parsers]
        set_rollback()
        return Response(envelope(code, message, details), status=exc.status_code, headers=headers)

    # Anything else is a bug: log it with its traceback, answer a 500 that leaks nothing.
    logger.exception(
        "unhandled_exception", view=context.get("view").__class__.__name__ if context.get("view") else None
    )
    return _response(ServerError())


def _response(error: OrbitError) -> Response:
    set_rollback()
    return Response(envelope(error.code, error.message, error.details), status=error.http_status, headers=error.headers)
