from django.contrib import admin

from ai.models import AIResultCache, AIRun
from ai.services import retry_run
from orbit.admin import NoAddAdmin, staff_action


@admin.register(AIRun)
class AIRunAdmin(NoAddAdmin):  # a run is queued through the API, where it is checked and counted
    list_display = [
        "created_at",
        "kind",
        "status",
        "provider",
        "model",
        "workspace",
        "user",
        "input_tokens",
        "output_tokens",
        "cost_usd",
        "latency_ms",
        "cache_hit",
        "error_code",
    ]
    list_filter = ["kind", "status", "provider", "cache_hit", "error_code", "created_at"]
    search_fields = ["id", "workspace__name", "workspace__slug", "user__email", "model", "error_code"]
    list_select_related = ["workspace", "user"]
    raw_id_fields = ["workspace", "user", "scope"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in AIRun._meta.fields]
    actions = ["retry"]

    @staff_action("Retry selected failed runs", done="Queued again")
    def retry(self, request, run):
        return retry_run(run=run, actor=request.user)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AIResultCache)
class AIResultCacheAdmin(NoAddAdmin):  # written by the worker from a provider's answer
    list_display = ["created_at", "kind", "provider", "model", "prompt_version", "workspace", "hits", "last_hit_at"]
    list_filter = ["kind", "provider", "prompt_version"]
    search_fields = ["key", "workspace__name", "model"]
    raw_id_fields = ["workspace"]
    exclude = ["result"]  # generated scope text: not shown to staff browsing the cache
    readonly_fields = [
        "key",
        "workspace",
        "kind",
        "provider",
        "model",
        "prompt_version",
        "input_tokens",
        "output_tokens",
        "hits",
        "last_hit_at",
    ]
