"""Request ids: accept a sane incoming X-Request-ID or make one, bind it to every log line, return it."""

import re
import time
import uuid

import structlog

logger = structlog.get_logger("orbit.request")

REQUEST_ID_HEADER = "X-Request-ID"
# Printable, short, no spaces: anything else from a client is replaced rather than trusted into our logs.
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{8,128}$")


def request_id_from(incoming: str | None) -> str:
    if incoming and _SANE_REQUEST_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
        finally:
            user = getattr(request, "user", None)
            if user is not None and getattr(user, "is_authenticated", False):
                structlog.contextvars.bind_contextvars(user_id=str(user.pk))
        response[REQUEST_ID_HEADER] = request_id
        if not request.path.startswith("/static/"):
            logger.info(
                "request_finished",
                method=request.method,
                path=request.path,
                status=response.status_code,
                duration_ms=round((time.monotonic() - started) * 1000, 1),
            )
        structlog.contextvars.clear_contextvars()
        return response
