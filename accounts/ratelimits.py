"""Per-email rate limits on top of allauth's, and `Retry-After` for every allauth 429.

State lives in allauth's rate-limit store, i.e. the Django cache (the shared database cache by default), so
every web process sees the same counters. Rates come from ACCOUNT_RATE_LIMITS.
"""

import math
import time

from allauth.core import ratelimit as allauth_ratelimit
from allauth.headless.base.response import RateLimitResponse
from django.http import HttpRequest, HttpResponse

from orbit.internals import allauth_hits, allauth_rates

FALLBACK_RETRY_AFTER = 60

# allauth endpoint (after /_allauth/<client>/v1/) -> the rate-limit actions guarding it.
ACTIONS_BY_ENDPOINT = {
    "auth/login": ("login", "login_email", "login_failed"),
    "auth/signup": ("signup", "signup_email"),
    "auth/password/request": ("reset_password",),
    "auth/password/reset": ("reset_password_from_key",),
    "account/password/change": ("change_password",),
}


def consume_per_email(request: HttpRequest, *, action: str, email: str) -> bool:
    """Count one attempt for `email` under `action`; False when the limit is reached."""
    return allauth_ratelimit.consume(request, action=action, key=email.strip().lower())


def too_many_requests(request: HttpRequest, *, action: str, email: str | None = None) -> HttpResponse:
    """allauth's own 429 answer (`{"status": 429}`), with Retry-After."""
    response = RateLimitResponse(request)
    response["Retry-After"] = str(retry_after(request, actions=(action,), key=email))
    return response


def retry_after(request: HttpRequest, *, actions, key: str | None = None) -> int:
    """Seconds until the tightest exhausted limit frees a slot.

    Exact for per-IP limits (and per-key limits when the key is known); otherwise the longest window of the
    actions' rates, after which every recorded hit has expired.
    """
    now = time.time()
    waits, windows = [], []
    for action in actions:
        for rate in allauth_rates(action):
            windows.append(rate.duration)
            if rate.per == "key" and not key:
                continue
            if rate.per not in ("ip", "key"):
                continue
            hits = [
                stamp
                for stamp in allauth_hits(request, action=action, rate=rate, key=key)
                if stamp > now - rate.duration
            ]
            if len(hits) >= rate.amount:
                hits.sort(reverse=True)
                waits.append(hits[rate.amount - 1] + rate.duration - now)
    if waits:
        return max(1, math.ceil(max(waits)))
    return math.ceil(max(windows)) if windows else FALLBACK_RETRY_AFTER


class RetryAfterMiddleware:
    """Adds Retry-After to allauth's headless 429 answers, which come without one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 429 and "Retry-After" not in response and request.path.startswith("/_allauth/"):
            endpoint = request.path.split("/v1/", 1)[-1].rstrip("/")
            actions = ACTIONS_BY_ENDPOINT.get(endpoint, ())
            response["Retry-After"] = str(retry_after(request, actions=actions) if actions else FALLBACK_RETRY_AFTER)
        return response
