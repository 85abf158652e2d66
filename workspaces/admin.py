from django.apps import apps
from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html_join

from orbit.admin import NoAddAdmin, ReadOnlyAdmin, admin_link, changelist_link, staff_action
from workspaces.models import ActivityEvent, Invitation, Membership, Onboarding, Workspace
from workspaces.services.invitations import resend_invitation
from workspaces.services.workspaces import restore_workspace

# What a workspace links to in the admin: (app label, model, label); an app not installed is skipped.
WORKSPACE_RELATED = [
    ("workspaces", "Membership", "members"),
    ("workspaces", "Invitation", "invitations"),
    ("scopes", "Project", "projects"),
    ("scopes", "Scope", "scopes"),
    ("documents", "Document", "documents"),
    ("ai", "AIRun", "AI runs"),
    ("exports", "Export", "exports"),
    ("workspaces", "ActivityEvent", "activity"),
]


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
    readonly_fields = ["id", "related", "billing", "created_at", "updated_at"]
    autocomplete_fields = ["owner"]
    list_select_related = ["owner"]
    inlines = [MembershipInline]
    actions = ["restore"]

    @admin.display(description="billing")
    def billing(self, workspace):
        """Link to the workspace's billing state, and its Stripe customer."""
        from billing.models import BillingState

        state = BillingState.objects.filter(workspace=workspace).select_related("customer").first()
        if state is None:
            return "—"
        links = [(admin_link(state, state.status),)]
        if state.customer is not None:
            links.append((admin_link(state.customer, f"Stripe customer {state.customer_id}"),))
        return format_html_join(" · ", "{}", links)

    @admin.display(description="related")
    def related(self, workspace):
        """Links to this workspace's members, scopes, documents, AI runs, exports and activity."""
        links = []
        for app_label, model_name, label in WORKSPACE_RELATED:
            try:
                model = apps.get_model(app_label, model_name)
            except LookupError:
                continue
            if admin.site.is_registered(model):
                links.append((changelist_link(model, label, workspace__id__exact=workspace.pk),))
        return format_html_join(" · ", "{}", links)

    @staff_action("Restore selected (undo soft delete)", done="Restored")
    def restore(self, request, workspace):
        return restore_workspace(workspace=workspace, actor=request.user)


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
class InvitationAdmin(NoAddAdmin):  # one made here would have no token anyone knows: the API mails the link
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
    actions = ["resend"]

    @staff_action("Resend selected (new link, new expiry; the old link stops working)", done="Resent")
    def resend(self, request, invitation):
        return resend_invitation(invitation=invitation, actor=request.user)


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
