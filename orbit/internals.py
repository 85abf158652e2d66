"""The one place Orbit reaches into libraries' private code, because they offer no public way.

Each use below names what it relies on; one more lives in orbit/gunicorn_worker.py, which gunicorn imports
before Django is set up (gunicorn's `Worker.handle_error` writing its HTML error page).
`orbit/tests/test_internals.py` pins the versions these were read against and exercises each use, so an upgrade
fails there, loudly and by name, instead of somewhere in a request. Everything else in Orbit uses public APIs
only (allauth's `allauth.core.ratelimit.consume`, Django's session store and `django.contrib.auth.get_user`,
drf-spectacular's `AutoSchema`).
"""

from allauth.core.internal import ratelimit as _allauth_ratelimit
from django.core.cache import cache
from django.http import HttpRequest
from drf_spectacular.openapi import AutoSchema as _SpectacularAutoSchema
from rest_framework.serializers import ListSerializer

# Versions these adapters were written against; test_internals fails when the installed ones differ.
PINNED = {"django-allauth": "65.22.1", "drf-spectacular": "0.30.0", "gunicorn": "23.0.0"}

# --- django-allauth: rate-limit state (for Retry-After) --------------------------------------------
# allauth answers 429 without saying when to retry and exposes no reader of its counters. Relied on:
# `get_rates(app=, action=)` -> [Rate(amount, duration, per)]; `get_cache_key(request, app=, action=, rate=,
# key=)`; the value stored under it is a list of hit timestamps (floats, newest first) in Django's cache.
ALLAUTH_APP = "allauth.account"


def allauth_rates(action: str) -> list:
    """The configured rates of an allauth action (ACCOUNT_RATE_LIMITS), each with .amount .duration .per."""
    return _allauth_ratelimit.get_rates(app=ALLAUTH_APP, action=action)


def allauth_hits(request: HttpRequest, *, action: str, rate, key: str | None = None) -> list[float]:
    """Timestamps of the hits allauth has recorded against `rate` of `action` for this request (or key)."""
    cache_key = _allauth_ratelimit.get_cache_key(request, app=ALLAUTH_APP, action=action, rate=rate, key=key)
    return list(cache.get(cache_key, []))


# --- django-allauth: the headless OpenAPI specification -------------------------------------------
# allauth builds the spec it serves in `allauth.headless.spec.internal.schema.get_schema()` (a fresh dict per
# call, OpenAPI 3.0.3); its token strategies may only change the security schemes (`openapi_spec`), not the
# shapes. Orbit's strategy adds to the login `meta` (accounts.token_strategy), so accounts.spec patches the dict.


def allauth_spec() -> dict:
    from allauth.headless.spec.internal.schema import get_schema

    return get_schema()


# --- drf-spectacular: responses every operation documents -------------------------------------------
# The public override points (`get_response_serializers`, extend_schema) are replaced per view by
# @extend_schema, so a project-wide "also document these statuses" needs the private `_get_response_bodies`
# (returns {status code str: response object}) and `_get_response_for_code(serializer, code, direction=)`.


class ResponsesAutoSchema(_SpectacularAutoSchema):
    """drf-spectacular's AutoSchema with one public hook: `add_responses(responses, direction)`."""

    def _get_response_bodies(self, direction="response"):
        return self.add_responses(super()._get_response_bodies(direction), direction)

    def add_responses(self, responses: dict, direction: str) -> dict:
        """Override: `responses` is {status code str: response object}; return it with any additions."""
        return responses

    # `_map_serializer_field(field, direction, bypass_extensions=False)` returns a field's schema; for a nested
    # `many=True` serializer drf-spectacular leaves out its max_length/min_length (a ListField gets them).
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, ListSerializer) and schema.get("type") == "array":
            if field.max_length is not None:
                schema["maxItems"] = field.max_length
            if field.min_length is not None or not field.allow_empty:
                schema["minItems"] = max(field.min_length or 0, 0 if field.allow_empty else 1)
        return schema

    def response_for(self, serializer, code: str, direction: str) -> dict:
        """The response object drf-spectacular would build for `serializer` answered with status `code`."""
        return self._get_response_for_code(serializer, code, direction=direction)
