"""Per-user and per-workspace rate limits on AI requests, on the shared cache (429 rate_limited + Retry-After)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class _AIThrottle(SimpleRateThrottle):
    setting = ""

    def get_rate(self):
        return getattr(settings, self.setting)

    def __init__(self):
        # Read the rate per request (not at import) so settings changes apply.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)


class AIUserThrottle(_AIThrottle):
    scope = "ai_user"
    setting = "AI_RATE_LIMIT_USER"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AIWorkspaceThrottle(_AIThrottle):
    scope = "ai_workspace"
    setting = "AI_RATE_LIMIT_WORKSPACE"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": view.kwargs["workspace_id"]}
