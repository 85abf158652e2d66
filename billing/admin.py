"""Staff see each workspace's billing in the admin: workspace → billing state → dj-stripe customer → subscription.

The state is derived from Stripe (webhooks, `billing_sync`), so it is read-only here: change a subscription in
Stripe (or the customer portal) and let the webhook or the next sync bring it back.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from billing.models import BillingState
from orbit.admin import ReadOnlyAdmin


def admin_link(obj, label=None):
    if obj is None:
        return "—"
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, label or obj)


@admin.register(BillingState)
class BillingStateAdmin(ReadOnlyAdmin):
    list_display = [
        "workspace",
        "plan",
        "status",
        "cycle",
        "current_period_end",
        "cancel_at_period_end",
        "grace_ends_at",
    ]
    list_filter = ["status", "cycle", "cancel_at_period_end", "workspace__plan"]
    search_fields = ["workspace__name", "workspace__slug", "customer__id", "subscription__id"]
    list_select_related = ["workspace"]
    fields = [
        "workspace_link",
        "plan",
        "status",
        "cycle",
        "current_period_end",
        "cancel_at_period_end",
        "grace_ends_at",
        "customer_link",
        "subscription_link",
        "updated_at",
    ]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    @admin.display(description="plan", ordering="workspace__plan")
    def plan(self, state):
        return state.workspace.plan

    @admin.display(description="workspace")
    def workspace_link(self, state):
        return admin_link(state.workspace)

    @admin.display(description="Stripe customer")
    def customer_link(self, state):
        return admin_link(state.customer, state.customer_id)

    @admin.display(description="Stripe subscription")
    def subscription_link(self, state):
        return admin_link(state.subscription, state.subscription_id)
