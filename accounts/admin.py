from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import AuthEvent, User
from accounts.services import set_active
from orbit.admin import ReadOnlyAdmin, staff_action


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

    @staff_action("Deactivate selected (and revoke their refresh tokens)", done="Deactivated")
    def deactivate(self, request, user):
        return set_active(user=user, active=False, actor=request.user, request=request)

    @staff_action("Reactivate selected", done="Reactivated")
    def reactivate(self, request, user):
        return set_active(user=user, active=True, actor=request.user, request=request)


@admin.register(AuthEvent)
class AuthEventAdmin(ReadOnlyAdmin):
    """The authentication audit trail: read-only for staff."""

    list_display = ["created_at", "kind", "email", "user", "ip_address", "reason"]
    list_filter = ["kind", "reason", "created_at"]
    search_fields = ["email", "ip_address", "user__email", "user_agent", "reason"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    ordering = ["-created_at"]
