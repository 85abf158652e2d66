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


def _lock(workspace) -> None:
    """The workspace row locked and its plan read afresh, so two staff changes apply one after the other."""
    from workspaces.models import Workspace

    Workspace.objects.lock(workspace.pk)
    workspace.refresh_from_db(fields=["plan"])


def _switch_plan(workspace, plan: str, *, actor, source: str, **metadata) -> None:
    """The workspace moves to `plan`, recorded as a plan change from `source`."""
    from workspaces.activity import Verb, record
    from workspaces.models import Workspace

    previous = workspace.plan
    Workspace.objects.filter(pk=workspace.pk).update(plan=plan, updated_at=timezone.now())
    workspace.plan = plan
    record(
        workspace=workspace,
        actor=actor,
        verb=Verb.BILLING_PLAN_CHANGED,
        metadata={"source": source, "from": previous, "to": plan, **metadata},
    )


@transaction.atomic
def set_plan_override(*, workspace, plan: str, reason: str, actor) -> BillingState:
    reason = (reason or "").strip()
    if plan not in plans():
        raise ValidationFailed("Unknown plan.", details={"plan": [f"Choose one of {', '.join(sorted(plans()))}."]})
    if not reason:
        raise ValidationFailed("Say why the plan is overridden.", details={"reason": ["This field is required."]})
    _lock(workspace)
    state, _ = BillingState.objects.get_or_create(workspace=workspace)
    if not state.plan_override and not state.subscribed_plan:
        state.subscribed_plan = workspace.plan  # what the workspace returns to when the override is cleared
    state.plan_override, state.plan_override_reason = plan, reason
    state.plan_override_by, state.plan_override_at = actor, timezone.now()
    state.save()
    _switch_plan(workspace, plan, actor=actor, source="staff_override", reason=reason)
    return state


@transaction.atomic
def clear_plan_override(*, workspace, actor) -> BillingState | None:
    _lock(workspace)
    state = BillingState.objects.filter(workspace=workspace).first()
    if state is None or not state.plan_override:
        return state
    state.plan_override, state.plan_override_reason, state.plan_override_by, state.plan_override_at = "", "", None, None
    state.save()
    _switch_plan(workspace, state.subscribed_plan or DEFAULT_PLAN, actor=actor, source="staff_override_cleared")
    return state
