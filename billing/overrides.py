"""Staff set a workspace's plan by hand (support deals, incidents), with a reason, audited; billing leaves it alone.

While an override is set, `plan_for` reads the overriding plan whatever the subscription's state (no grace-period
downgrade), and webhooks and `billing_sync` keep following Stripe's status, cycle and period but not its plan.
Clearing the override puts back the plan the subscription pays for (`BillingState.subscribed_plan`).
"""

from django.db import transaction
from django.utils import timezone

from billing.models import BillingState
from billing.plans import DEFAULT_PLAN, plans
from orbit.errors import ValidationFailed


@transaction.atomic
def set_plan_override(*, workspace, plan: str, reason: str, actor) -> BillingState:
    from workspaces.activity import Verb, record
    from workspaces.models import Workspace

    reason = (reason or "").strip()
    if plan not in plans():
        raise ValidationFailed("Unknown plan.", details={"plan": [f"Choose one of {', '.join(sorted(plans()))}."]})
    if not reason:
        raise ValidationFailed("Say why the plan is overridden.", details={"reason": ["This field is required."]})
    Workspace.objects.lock(workspace.pk)
    workspace.refresh_from_db(fields=["plan"])
    state, _ = BillingState.objects.get_or_create(workspace=workspace)
    if not state.plan_override and not state.subscribed_plan:
        state.subscribed_plan = workspace.plan  # what the workspace returns to when the override is cleared
    previous = workspace.plan
    state.plan_override, state.plan_override_reason = plan, reason
    state.plan_override_by, state.plan_override_at = actor, timezone.now()
    state.save()
    Workspace.objects.filter(pk=workspace.pk).update(plan=plan, updated_at=timezone.now())
    workspace.plan = plan
    record(
        workspace=workspace,
        actor=actor,
        verb=Verb.BILLING_PLAN_CHANGED,
        metadata={"source": "staff_override", "from": previous, "to": plan, "reason": reason},
    )
    return state


@transaction.atomic
def clear_plan_override(*, workspace, actor) -> BillingState | None:
    from workspaces.activity import Verb, record
    from workspaces.models import Workspace

    Workspace.objects.lock(workspace.pk)
    workspace.refresh_from_db(fields=["plan"])
    state = BillingState.objects.filter(workspace=workspace).first()
    if state is None or not state.plan_override:
        return state
    previous, plan = workspace.plan, state.subscribed_plan or DEFAULT_PLAN
    state.plan_override, state.plan_override_reason, state.plan_override_by, state.plan_override_at = "", "", None, None
    state.save()
    Workspace.objects.filter(pk=workspace.pk).update(plan=plan, updated_at=timezone.now())
    workspace.plan = plan
    record(
        workspace=workspace,
        actor=actor,
        verb=Verb.BILLING_PLAN_CHANGED,
        metadata={"source": "staff_override_cleared", "from": previous, "to": plan},
    )
    return state
