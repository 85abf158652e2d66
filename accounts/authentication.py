"""DRF authentication for the session → token exchange: an allauth session, by header or by cookie."""

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.contrib.django_allauth import XSessionTokenAuthenticationScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication


class StrictXSessionTokenAuthentication(XSessionTokenAuthentication):
    """`X-Session-Token` of a fully signed-in allauth app session; an invalid or unfinished one is a 401."""

    allow_anonymous_users = False
    allow_invalid_session_tokens = False


class CSRFSessionAuthentication(SessionAuthentication):
    """The browser client's cookie session (after the Google redirect flow); CSRF-checked as DRF does, refused with
    the same 403 `csrf_failed` as Django's CSRF middleware answers (DRF's own check would say `permission_denied`)."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc.detail), code="csrf_failed") from exc


class StrictXSessionTokenScheme(XSessionTokenAuthenticationScheme):
    target_class = "accounts.authentication.StrictXSessionTokenAuthentication"


class CSRFSessionScheme(SessionScheme):
    target_class = "accounts.authentication.CSRFSessionAuthentication"
