from django.contrib import admin

from orbit.models import IdempotencyKey


class ReadOnlyAdmin(admin.ModelAdmin):
    """For audit trails (auth events, activity): staff read them in the admin, nobody adds, edits or deletes."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "method", "path", "response_status", "created_at"]
    list_filter = ["method", "response_status", "created_at"]
    search_fields = ["key", "path", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = [f.name for f in IdempotencyKey._meta.fields]
