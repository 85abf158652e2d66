from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import AuthEvent, User
from accounts.services import set_active
from orbit.admin import ReadOnlyAdmin, apply_to_each


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["full_name", "avatar_url"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    actions = ["deactivate", "reactivate"]

    @admin.action(description="Deactivate selected (and revoke their refresh tokens)")
    def deactivate(self, request, queryset):
        self._set_active(request, queryset, active=False, done="Deactivated")

    @admin.action(description="Reactivate selected")
    def reactivate(self, request, queryset):
        self._set_active(request, queryset, active=True, done="Reactivated")

    def _set_active(self, request, queryset, *, active: bool, done: str) -> None:
        apply_to_each(
            request,
            queryset,
            lambda user: set_active(user=user, active=active, actor=request.user, request=request),
            done=done,
        )


@admin.register(AuthEvent)
class AuthEventAdmin(ReadOnlyAdmin):
    """The authentication audit trail: read-only for staff."""

    list_display = ["created_at", "kind", "email", "user", "ip_address", "reason"]
    list_filter = ["kind", "reason", "created_at"]
    search_fields = ["email", "ip_address", "user__email", "user_agent", "reason"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    ordering = ["-created_at"]
