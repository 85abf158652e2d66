from django.contrib import admin

from exports.models import Export
from exports.services import retry_export
from orbit.admin import apply_to_each


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    list_display = ("id", "scope", "workspace", "format", "status", "size_bytes", "created_at", "finished_at")
    list_filter = ("status", "format", "created_at")
    search_fields = ("id", "scope__title", "workspace__name", "workspace__slug", "content_hash", "file_key")
    list_select_related = ("scope", "workspace")
    raw_id_fields = ("workspace", "scope", "requested_by")
    readonly_fields = ("content_hash", "file_key", "run", "attempts", "claimed_at", "created_at", "updated_at")
    actions = ["retry"]

    @admin.action(description="Retry selected failed exports")
    def retry(self, request, queryset):
        apply_to_each(
            request, queryset, lambda export: retry_export(export=export, actor=request.user), done="Queued again"
        )
