"""Django-level 404/500 (outside DRF views) in the same envelope, so no HTML page or traceback leaks."""

from django.http import JsonResponse

from orbit.exception_handler import envelope


def not_found(request, exception=None):
    return JsonResponse(envelope("not_found", "Not found."), status=404)


def server_error(request):
    return JsonResponse(
        envelope("server_error", "An unexpected error occurred. Quote the request id when reporting it."), status=500
    )
