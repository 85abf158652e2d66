from django.db import models


class BillingState(models.Model):
    """A workspace's subscription as Orbit last derived it from Stripe (through dj-stripe's mirror).

    Written only by `billing.state.apply_state`; `Workspace.plan` holds the plan the subscription pays for, and
    `billing.plans.plan_for` reads both (a past-due workspace past its grace end gets Free limits).
    """

    class Status(models.TextChoices):
        NONE = "none", "No subscription"
        INCOMPLETE = "incomplete", "Incomplete (first payment pending)"
        TRIALING = "trialing", "Trialing"
        ACTIVE = "active", "Active"
        PAST_DUE = "past_due", "Past due"
        UNPAID = "unpaid", "Unpaid"
        CANCELED = "canceled", "Canceled"

    workspace = models.OneToOneField(
        "workspaces.Workspace", on_delete=models.CASCADE, primary_key=True, related_name="billing"
    )
    customer = models.ForeignKey(
        "djstripe.Customer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", to_field="id"
    )
    subscription = models.ForeignKey(
        "djstripe.Subscription", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", to_field="id"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NONE, db_index=True)
    cycle = models.CharField(max_length=16, blank=True, help_text="monthly or yearly; empty without a subscription.")
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    grace_ends_at = models.DateTimeField(
        null=True, blank=True, help_text="Past due: paid limits hold until then, Free limits after."
    )
    # The workspace's latest Checkout Session: reused while open for the same plan and cycle, expired before
    # another is made, so a workspace never has two payable sessions (two subscriptions) at once.
    checkout_session_id = models.CharField(max_length=255, blank=True)
    # The plan the subscription pays for, as last derived from Stripe (what `Workspace.plan` returns to when a
    # staff override is cleared).
    subscribed_plan = models.CharField(max_length=32, blank=True)
    # A staff override (Django admin, with a reason): its plan is in force, and webhooks and billing_sync leave the
    # workspace's plan alone until it is cleared; status, cycle and period still follow Stripe.
    plan_override = models.CharField(max_length=32, blank=True)
    plan_override_reason = models.TextField(blank=True)
    plan_override_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plan_override_at = models.DateTimeField(null=True, blank=True)
    checkout_plan = models.CharField(max_length=32, blank=True)
    checkout_cycle = models.CharField(max_length=16, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "workspace billing state"

    def __str__(self):
        return f"{self.workspace_id}: {self.status}"


class PlanOverride(BillingState):
    """Staff's view of a billing state for setting or clearing a manual plan override (billing.overrides)."""

    class Meta:
        proxy = True
        verbose_name = "manual plan override"
