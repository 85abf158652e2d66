"""Django-level 404/500 (outside DRF views) in the same envelope, so no HTML page or traceback leaks."""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from orbit.exception_handler import envelope


@csrf_exempt  # also the ^api/ catch-all: a write to an unknown path is a 404, not a 403 csrf_failed
def not_found(request, exception=None):
    return JsonResponse(envelope("not_found", "Not found."), status=404)


def server_error(request):
    return JsonResponse(
        envelope("server_error", "An unexpected error occurred. Quote the request id when reporting it."), status=500
    )


def bad_request(request, exception=None):
    """Django's 400s (a disallowed Host header, a body over the upload limit outside DRF, ...)."""
    if isinstance(exception, RequestDataTooBig):
        return JsonResponse(envelope("payload_too_large", "The request body is too large."), status=413)
    return JsonResponse(envelope("bad_request", "The request is malformed."), status=400)


def permission_denied(request, exception=None):
    return JsonResponse(envelope("permission_denied", "You do not have permission to perform this action."), status=403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the browser auth client forgot the X-CSRFToken header or the csrftoken cookie."""
    return JsonResponse(
        envelope("csrf_failed", "CSRF verification failed: send the csrftoken cookie and an X-CSRFToken header."),
        status=403,
    )
