"""From Stripe subscriptions to a workspace's plan and status: derived in one place, applied in one place.

`derive` is a pure function of the customer's subscriptions as Stripe describes them *now* (dj-stripe's freshly
re-retrieved mirror for webhooks, a fresh list for `billing_sync`), never of the event that triggered it, so an
older event arriving after a newer one cannot roll the state back. `apply_state` writes the result, records an
activity event for every change, and is a no-op when nothing changed (repeated events, a healthy sync).
"""

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from billing.models import BillingState
from billing.plans import DEFAULT_PLAN
from billing.prices import plan_of_price

logger = logging.getLogger(__name__)
Status = BillingState.Status

# Stripe status -> ours. A paused or expired subscription pays for nothing, like a canceled one.
_STATUS = {
    "incomplete": Status.INCOMPLETE,
    "incomplete_expired": Status.CANCELED,
    "trialing": Status.TRIALING,
    "active": Status.ACTIVE,
    "past_due": Status.PAST_DUE,
    "unpaid": Status.UNPAID,
    "canceled": Status.CANCELED,
    "paused": Status.CANCELED,
}
# Statuses in which the subscription's plan is paid for (past_due/unpaid: until the grace period ends).
PAYING = {Status.TRIALING, Status.ACTIVE, Status.PAST_DUE, Status.UNPAID}
IN_ARREARS = {Status.PAST_DUE, Status.UNPAID}
# Which subscription of a customer is "the" subscription: the one that still runs, newest first.
_RANK = {Status.ACTIVE: 5, Status.TRIALING: 5, Status.PAST_DUE: 4, Status.UNPAID: 3, Status.INCOMPLETE: 2}


@dataclass(frozen=True)
class Derived:
    plan: str
    status: str
    cycle: str = ""
    subscription_id: str | None = None
    current_period_end: datetime | None = None
    cancel_at_period_end: bool = False


NO_SUBSCRIPTION = Derived(plan=DEFAULT_PLAN, status=Status.NONE)


def _timestamp(value) -> datetime | None:
    return datetime.fromtimestamp(value, tz=UTC) if value else None


def _items(subscription: dict) -> list[dict]:
    return (subscription.get("items") or {}).get("data") or []


def current_subscription(subscriptions: list[dict]) -> dict | None:
    """The customer's subscription that decides the plan: a running one over an ended one, then the newest."""
    if not subscriptions:
        return None
    return max(subscriptions, key=lambda s: (_RANK.get(_STATUS.get(s.get("status")), 0), s.get("created") or 0))


def derive(subscriptions: list[dict]) -> Derived:
    subscription = current_subscription(subscriptions)
    if subscription is None:
        return NO_SUBSCRIPTION
    running = [s.get("id") for s in subscriptions if _STATUS.get(s.get("status")) in PAYING]
    if len(running) > 1:  # e.g. two checkouts paid in parallel: the newest decides, staff should refund one
        logger.warning("billing.several_running_subscriptions", extra={"subscriptions": running})
    status = _STATUS.get(subscription.get("status"), Status.CANCELED)
    items = _items(subscription)
    sold = plan_of_price(items[0].get("price") if items else None)
    if sold is None:
        logger.warning("billing.unknown_price", extra={"subscription": subscription.get("id")})
    plan, cycle = sold or (DEFAULT_PLAN, "")
    # API versions since 2025-03 carry the period on the items rather than on the subscription.
    period_end = subscription.get("current_period_end") or (items[0].get("current_period_end") if items else None)
    return Derived(
        plan=plan if status in PAYING else DEFAULT_PLAN,
        status=status,
        cycle=cycle,
        subscription_id=subscription.get("id"),
        current_period_end=_timestamp(period_end),
        cancel_at_period_end=bool(subscription.get("cancel_at_period_end")),
    )


def grace_period() -> timedelta:
    return timedelta(days=settings.BILLING_GRACE_DAYS)


def changes(workspace, state: BillingState | None, derived: Derived) -> dict:
    """{field: (old, new)} of what applying `derived` would change: the plan and the fields the API shows."""
    state = state or BillingState(workspace=workspace)
    if state.plan_override:  # staff set the plan by hand: Stripe's plan waits until the override is cleared
        derived = replace(derived, plan=workspace.plan)
    pairs = {
        "plan": (workspace.plan, derived.plan),
        "status": (state.status, derived.status),
        "cycle": (state.cycle, derived.cycle),
        "cancel_at_period_end": (state.cancel_at_period_end, derived.cancel_at_period_end),
        "current_period_end": (state.current_period_end, derived.current_period_end),
    }
    return {field: pair for field, pair in pairs.items() if pair[0] != pair[1]}


@transaction.atomic
def apply_state(*, workspace, derived: Derived, customer_id: str | None, source: str, actor=None) -> dict:
    """Write `derived` to the workspace; returns the changes (empty when it already matched)."""
    from djstripe.models import Customer, Subscription

    from workspaces.activity import Verb, record
    from workspaces.models import Workspace

    Workspace.objects.lock(workspace.pk)
    workspace.refresh_from_db(fields=["plan"])
    state = BillingState.objects.filter(workspace=workspace).first()
    diff = changes(workspace, state, derived)
    state = state or BillingState(workspace=workspace)
    if customer_id and state.customer_id != customer_id and Customer.objects.filter(id=customer_id).exists():
        state.customer_id = customer_id
    known = derived.subscription_id and Subscription.objects.filter(id=derived.subscription_id).exists()
    state.subscription_id = derived.subscription_id if known else None
    now = timezone.now()
    if derived.status in IN_ARREARS:
        if state.status not in IN_ARREARS or state.grace_ends_at is None:
            state.grace_ends_at = now + grace_period()
    else:
        state.grace_ends_at = None
    old_status = state.status
    state.status = derived.status
    state.cycle = derived.cycle
    state.current_period_end = derived.current_period_end
    state.cancel_at_period_end = derived.cancel_at_period_end
    state.subscribed_plan = derived.plan
    state.save()
    if "plan" in diff:
        Workspace.objects.filter(pk=workspace.pk).update(plan=derived.plan, updated_at=now)
        workspace.plan = derived.plan
    meta = {"source": source, "subscription_id": derived.subscription_id}
    if "plan" in diff:
        old, new = diff["plan"]
        record(
            workspace=workspace, actor=actor, verb=Verb.BILLING_PLAN_CHANGED, metadata={**meta, "from": old, "to": new}
        )
    if derived.status != old_status:
        record(
            workspace=workspace,
            actor=actor,
            verb=Verb.BILLING_STATUS_CHANGED,
            metadata={**meta, "from": old_status, "to": derived.status, "grace_ends_at": _iso(state.grace_ends_at)},
        )
    if "cancel_at_period_end" in diff and derived.status in PAYING:
        verb = (
            Verb.BILLING_CANCELLATION_SCHEDULED if derived.cancel_at_period_end else Verb.BILLING_CANCELLATION_WITHDRAWN
        )
        record(
            workspace=workspace,
            actor=actor,
            verb=verb,
            metadata={**meta, "current_period_end": _iso(derived.current_period_end)},
        )
    return diff


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def effective_plan_code(workspace, now: datetime | None = None) -> str:
    """The plan whose limits apply now: the paid-for plan, or Free once a past-due workspace's grace has ended."""
    code = getattr(workspace, "plan", None) or DEFAULT_PLAN
    if code == DEFAULT_PLAN or workspace._state.adding:  # an unsaved workspace has no billing state
        return code
    state = (
        BillingState.objects.filter(workspace_id=workspace.pk).only("status", "grace_ends_at", "plan_override").first()
    )
    if state and state.plan_override:  # a staff override holds whatever Stripe says
        return code
    if state and state.status in IN_ARREARS and state.grace_ends_at and state.grace_ends_at <= (now or timezone.now()):
        return DEFAULT_PLAN
    return code
