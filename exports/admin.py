from django.contrib import admin

from exports.models import Export


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    list_display = ("id", "scope", "format", "status", "size_bytes", "created_at", "finished_at")
    list_filter = ("status", "format", "created_at")
    search_fields = ("id", "scope__title", "workspace__name", "content_hash", "file_key")
    raw_id_fields = ("workspace", "scope", "requested_by")
    readonly_fields = ("content_hash", "file_key", "run", "attempts", "claimed_at", "created_at", "updated_at")
