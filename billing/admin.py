"""Staff see each workspace's billing in the admin: workspace → billing state → dj-stripe customer → subscription.

The state is derived from Stripe (webhooks, `billing_sync`), so it is read-only here: change a subscription in
Stripe (or the customer portal) and let the webhook or the next sync bring it back.
"""

from django import forms
from django.contrib import admin

from billing import overrides
from billing.models import BillingState, PlanOverride
from billing.plans import plans
from orbit.admin import ReadOnlyAdmin, admin_link

# A state's own columns: the list shows them after its workspace, its page between the links to follow.
STATE_COLUMNS = ["plan", "status", "cycle", "current_period_end", "cancel_at_period_end", "grace_ends_at"]


@admin.register(BillingState)
class BillingStateAdmin(ReadOnlyAdmin):
    list_display = ["workspace", *STATE_COLUMNS]
    list_filter = ["status", "cycle", "cancel_at_period_end", "workspace__plan"]
    search_fields = ["workspace__name", "workspace__slug", "customer__id", "subscription__id"]
    list_select_related = ["workspace"]
    fields = ["workspace_link", *STATE_COLUMNS, "customer_link", "subscription_link", "updated_at"]

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


class PlanOverrideForm(forms.ModelForm):
    plan_override = forms.ChoiceField(
        label="plan", required=False, help_text="Empty clears the override (the subscription's plan comes back)."
    )
    plan_override_reason = forms.CharField(label="reason", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = PlanOverride
        fields = ["workspace", "plan_override", "plan_override_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_override"].choices = [("", "— no override —")] + [(code, code) for code in sorted(plans())]

    def clean(self):
        data = super().clean()
        if data.get("plan_override") and not (data.get("plan_override_reason") or "").strip():
            self.add_error("plan_override_reason", "Say why the plan is overridden.")
        return data

    def validate_unique(self):
        pass  # one state per workspace: the service updates the existing one


@admin.register(PlanOverride)
class PlanOverrideAdmin(admin.ModelAdmin):
    """Set a workspace's plan by hand, with a reason (audited as billing.plan_changed); billing leaves it alone
    until the override is cleared here (empty plan)."""

    form = PlanOverrideForm
    list_display = ["workspace", "plan_override", "plan_override_reason", "plan_override_by", "plan_override_at"]
    search_fields = ["workspace__name", "workspace__slug"]
    list_select_related = ["workspace", "plan_override_by"]
    list_filter = [("plan_override", admin.EmptyFieldListFilter)]

    def get_readonly_fields(self, request, obj=None):
        return ["workspace"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        workspace = obj.workspace
        if form.cleaned_data.get("plan_override"):
            state = overrides.set_plan_override(
                workspace=workspace,
                plan=form.cleaned_data["plan_override"],
                reason=form.cleaned_data["plan_override_reason"],
                actor=request.user,
            )
        else:
            state = overrides.clear_plan_override(workspace=workspace, actor=request.user)
        obj.pk = state.pk if state else workspace.pk
