from django.contrib import admin

from orbit.models import IdempotencyKey


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "method", "path", "response_status", "created_at"]
    list_filter = ["method", "response_status", "created_at"]
    search_fields = ["key", "path", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = [f.name for f in IdempotencyKey._meta.fields]
