import functools

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from orbit.errors import OrbitError
from orbit.models import IdempotencyKey


def admin_link(obj, label=None):
    """A link to `obj`'s change page in the admin (— for None)."""
    if obj is None:
        return "—"
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, label if label is not None else obj)


def changelist_link(model, label, **filters):
    """A link to `model`'s changelist filtered by `filters` (e.g. workspace__id__exact=...)."""
    from urllib.parse import urlencode

    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, urlencode(filters), label)


def apply_to_each(request, queryset, service, *, done: str) -> None:
    """Run a staff action through its service for each selected object, one transaction each, and tell the staff
    user what happened: how many were done, and each refusal with its reason (an OrbitError's message)."""
    succeeded, refused = 0, []
    for obj in queryset:
        try:
            result = service(obj)
        except OrbitError as exc:
            refused.append(f"{obj}: {exc.message}")
            continue
        if result is False:
            refused.append(f"{obj}: nothing to do")
        else:
            succeeded += 1
    if succeeded:
        messages.success(request, f"{done}: {succeeded}.")
    for line in refused:
        messages.warning(request, f"Skipped {line}")


def staff_action(description: str, *, done: str):
    """A ModelAdmin action written for one object: `@staff_action("Retry selected", done="Queued again")` on
    `def retry(self, request, export): return retry_export(export=export, actor=request.user)` makes the action
    that runs it for each selected object and reports as `apply_to_each` does (a service returning False did
    nothing). List it in `actions` by its name, as any action."""

    def decorate(act_on_one):
        @admin.action(description=description)
        @functools.wraps(act_on_one)
        def action(modeladmin, request, queryset):
            apply_to_each(request, queryset, lambda obj: act_on_one(modeladmin, request, obj), done=done)

        return action

    return decorate


class FixedRowsInline(admin.TabularInline):
    """An inline whose rows are neither added nor removed here (their services own that); each links to its page."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class NoAddAdmin(admin.ModelAdmin):
    """For rows only a service makes (the API or the worker): staff see and act on them here but never add one,
    which would skip what the service does when it makes one."""

    def has_add_permission(self, request):
        return False


class ReadOnlyAdmin(NoAddAdmin):
    """For audit trails (auth events, activity): staff read them in the admin, nobody adds, edits or deletes."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

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
