from django.contrib import admin

from templates.models import Template


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "is_public", "workspace", "created_at"]
    list_filter = ["is_public", "category"]
    search_fields = ["name", "description", "category", "workspace__name", "workspace__slug"]
    list_select_related = ["workspace"]
    raw_id_fields = ["workspace", "created_by"]
