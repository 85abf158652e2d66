from django.contrib import admin
from django.utils import timezone

from orbit.admin import ReadOnlyAdmin
from workspaces.models import ActivityEvent, Invitation, Membership, Onboarding, Workspace


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "workspace"
    extra = 0
    autocomplete_fields = ["user", "invited_by"]


class DeletedFilter(admin.SimpleListFilter):
    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("no", "Live"), ("yes", "Deleted")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        return queryset


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "owner", "plan", "privacy", "created_at", "deleted_at"]
    list_filter = [DeletedFilter, "plan", "privacy", "created_at"]
    search_fields = ["name", "slug", "owner__email", "industry"]
    readonly_fields = ["id", "billing", "created_at", "updated_at"]
    autocomplete_fields = ["owner"]
    list_select_related = ["owner"]
    inlines = [MembershipInline]
    actions = ["restore"]

    @admin.display(description="billing")
    def billing(self, workspace):
        """Link to the workspace's billing state (and from there its Stripe customer and subscription)."""
        from billing.admin import admin_link
        from billing.models import BillingState

        state = BillingState.objects.filter(workspace=workspace).first()
        return admin_link(state, f"{state.status} (Stripe customer {state.customer_id or '—'})") if state else "—"

    @admin.action(description="Restore selected (undo soft delete)")
    def restore(self, request, queryset):
        queryset.update(deleted_at=None, updated_at=timezone.now())


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "workspace", "role", "invited_by", "created_at"]
    list_filter = ["role", "created_at"]
    search_fields = ["user__email", "user__full_name", "workspace__name", "workspace__slug"]
    autocomplete_fields = ["user", "workspace", "invited_by"]
    list_select_related = ["user", "workspace", "invited_by"]
    readonly_fields = ["id", "created_at", "updated_at"]


class InvitationStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("pending", "Pending"), ("expired", "Expired"), ("accepted", "Accepted"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        now = timezone.now()
        open_ = {"accepted_at__isnull": True, "revoked_at__isnull": True}
        return {
            "pending": lambda: queryset.filter(**open_, expires_at__gt=now),
            "expired": lambda: queryset.filter(**open_, expires_at__lte=now),
            "accepted": lambda: queryset.filter(accepted_at__isnull=False),
            "revoked": lambda: queryset.filter(revoked_at__isnull=False),
        }.get(self.value(), lambda: queryset)()


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """The token hash is never shown: it is the only thing standing between the table and a way in."""

    list_display = ["email", "workspace", "role", "invited_by", "expires_at", "accepted_at", "revoked_at"]
    list_filter = [InvitationStatusFilter, "role", "created_at"]
    search_fields = ["email", "workspace__name", "workspace__slug", "invited_by__email"]
    exclude = ["token_hash"]
    readonly_fields = [
        "id",
        "workspace",
        "email",
        "invited_by",
        "accepted_at",
        "accepted_by",
        "created_at",
        "updated_at",
    ]
    list_select_related = ["workspace", "invited_by"]

    def has_add_permission(self, request):
        # An invitation made here would have no token anyone knows; invite through the API (it mails the link).
        return False


@admin.register(ActivityEvent)
class ActivityEventAdmin(ReadOnlyAdmin):
    """Append-only: staff read the log, nobody edits it."""

    list_display = ["created_at", "workspace", "verb", "actor", "target_type", "target_id"]
    list_filter = ["verb", "target_type", "created_at"]
    search_fields = ["verb", "target_id", "workspace__name", "actor__email"]
    list_select_related = ["workspace", "actor"]
    date_hierarchy = "created_at"


@admin.register(Onboarding)
class OnboardingAdmin(admin.ModelAdmin):
    list_display = ["user", "workspace", "plan_intent", "completed_at", "updated_at"]
    list_filter = ["plan_intent", "completed_at"]
    search_fields = ["user__email", "workspace__name"]
    autocomplete_fields = ["user", "workspace"]
    list_select_related = ["user", "workspace"]
    readonly_fields = ["id", "created_at", "updated_at"]
