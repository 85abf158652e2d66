"""Django-level 404/500 (outside DRF views) in the same envelope, so no HTML page or traceback leaks. The codes
and messages per status are those of orbit.apiguard's GENERIC_ERRORS, shared with the middleware that turns stray
HTML errors into JSON."""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from orbit.apiguard import status_response
from orbit.exception_handler import envelope


@csrf_exempt  # also the ^api/ catch-all: a write to an unknown path is a 404, not a 403 csrf_failed
def not_found(request, exception=None):
    return status_response(request, 404)


def server_error(request):
    return status_response(request, 500)


def bad_request(request, exception=None):
    """Django's 400s (a disallowed Host header, a body over the upload limit outside DRF, ...)."""
    return status_response(request, 413 if isinstance(exception, RequestDataTooBig) else 400)


def permission_denied(request, exception=None):
    return status_response(request, 403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the browser auth client forgot the X-CSRFToken header or the csrftoken cookie."""
    return JsonResponse(
        envelope("csrf_failed", "CSRF verification failed: send the csrftoken cookie and an X-CSRFToken header."),
        status=403,
    )
