from django.contrib import admin

from exports.models import Export
from exports.services import retry_export
from orbit.admin import staff_action


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    list_display = ("id", "scope", "workspace", "format", "status", "size_bytes", "created_at", "finished_at")
    list_filter = ("status", "format", "created_at")
    search_fields = ("id", "scope__title", "workspace__name", "workspace__slug", "content_hash", "file_key")
    list_select_related = ("scope", "workspace")
    raw_id_fields = ("workspace", "scope", "requested_by")
    readonly_fields = ("content_hash", "file_key", "run", "attempts", "claimed_at", "created_at", "updated_at")
    actions = ["retry"]

    @staff_action("Retry selected failed exports", done="Queued again")
    def retry(self, request, export):
        return retry_export(export=export, actor=request.user)
