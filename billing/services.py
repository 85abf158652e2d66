"""Billing writes: Stripe Checkout and the Customer Portal, and bringing a workspace in line with Stripe."""

import logging

import stripe
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from billing import prices, stripe_client
from billing.models import BillingState
from billing.state import PAYING, apply_state, derive
from orbit.errors import Conflict, ServiceUnavailable, ValidationFailed

logger = logging.getLogger(__name__)


def _return_url(workspace, **query) -> str:
    params = "&".join(f"{key}={value}" for key, value in {"workspace_id": workspace.pk, **query}.items())
    return f"{settings.FRONTEND_URL}{settings.BILLING_RETURN_PATH}?{params}"


def _billing_url(workspace, action: str) -> str:
    return reverse(f"billing-{action}", kwargs={"workspace_id": workspace.pk})


def has_running_subscription(workspace) -> bool:
    return BillingState.objects.filter(workspace=workspace, status__in=PAYING).exists()


def ensure_customer(workspace):
    """The workspace's Stripe customer, created once (under the workspace lock, with dj-stripe's idempotency key)."""
    from djstripe.models import Customer

    from workspaces.models import Workspace

    with transaction.atomic():
        Workspace.objects.lock(workspace.pk)
        existing = Customer.objects.filter(subscriber=workspace, livemode=settings.STRIPE_LIVE_MODE).first()
        if existing is not None:
            return existing
        stripe_client.require_configured()  # 503 before dj-stripe tries
        try:
            customer, _ = Customer.get_or_create(
                subscriber=workspace, livemode=settings.STRIPE_LIVE_MODE, metadata={"workspace_id": str(workspace.pk)}
            )
        except stripe.StripeError as exc:
            raise ServiceUnavailable("Stripe could not create the billing customer; try again shortly.") from exc
        BillingState.objects.update_or_create(workspace=workspace, defaults={"customer": customer})
        return customer


def start_checkout(*, workspace, plan: str, cycle: str) -> str:
    """A Stripe Checkout Session URL subscribing the workspace to `plan` billed `cycle`.

    Under the workspace lock, so parallel requests queue: the open session of the same plan and cycle is handed
    out again, one of another plan is expired first, and a completed one whose webhook has not arrived yet is a
    409. A workspace therefore never has two payable sessions, which would be two subscriptions.
    """
    from workspaces.models import Workspace

    if plan not in prices.paid_plans():
        raise ValidationFailed(
            "Unknown paid plan.", details={"plan": [f"Choose one of {', '.join(prices.paid_plans())}."]}
        )
    lookup_key = prices.lookup_key_for(plan, cycle)
    if lookup_key is None:
        raise ValidationFailed(
            "This plan has no such billing cycle.", details={"cycle": [f"{plan} is not sold {cycle}."]}
        )
    with transaction.atomic():
        Workspace.objects.lock(workspace.pk)
        if has_running_subscription(workspace):
            raise Conflict(
                "This workspace already has a subscription: change plan or cycle in the customer portal.",
                details={"portal": _billing_url(workspace, "portal")},
            )
        reused = _open_session(workspace, plan, cycle)
        if reused is not None:
            return reused
        price = stripe_client.price_id(lookup_key)
        customer = ensure_customer(workspace)
        reference = {"workspace_id": str(workspace.pk), "plan": plan, "cycle": cycle}
        session = stripe_client.create_checkout_session(
            mode="subscription",
            customer=customer.id,
            client_reference_id=str(workspace.pk),
            metadata=reference,
            subscription_data={"metadata": reference},
            line_items=[{"price": price, "quantity": 1}],
            success_url=_return_url(workspace, checkout="success", session_id="{CHECKOUT_SESSION_ID}"),
            cancel_url=_return_url(workspace, checkout="canceled"),
        )
        BillingState.objects.filter(workspace=workspace).update(
            checkout_session_id=session["id"], checkout_plan=plan, checkout_cycle=cycle
        )
        return session["url"]


def _open_session(workspace, plan: str, cycle: str) -> str | None:
    """The URL of the workspace's open session for this plan and cycle; any other open one is expired."""
    from djstripe.models import Subscription

    state = BillingState.objects.filter(workspace=workspace).exclude(checkout_session_id="").first()
    if state is None:
        return None
    session = stripe_client.retrieve_checkout_session(state.checkout_session_id)
    status = session.get("status") if session is not None else None
    subscription_id = (session or {}).get("subscription")
    subscription_id = subscription_id.get("id") if isinstance(subscription_id, dict) else subscription_id
    if status == "complete" and not Subscription.objects.filter(id=subscription_id).exists():
        # Paid, but its webhook has not arrived yet (or was missed: billing_sync heals it).
        raise Conflict(
            "A checkout for this workspace was just paid; the subscription appears in a moment.",
            details={"subscription": _billing_url(workspace, "subscription")},
        )
    if status == "open":
        if (state.checkout_plan, state.checkout_cycle) == (plan, cycle) and session.get("url"):
            return session["url"]
        stripe_client.expire_checkout_session(state.checkout_session_id)
    BillingState.objects.filter(pk=state.pk).update(checkout_session_id="", checkout_plan="", checkout_cycle="")
    return None


def open_portal(*, workspace) -> str:
    from djstripe.models import Customer

    customer = Customer.objects.filter(subscriber=workspace, livemode=settings.STRIPE_LIVE_MODE).first()
    if customer is None:
        raise Conflict(
            "This workspace has no billing account yet: subscribe through checkout first.",
            details={"checkout": _billing_url(workspace, "checkout")},
        )
    session = stripe_client.create_portal_session(customer=customer.id, return_url=_return_url(workspace))
    return session["url"]


def checkout_url_for_intent(*, workspace, plan: str, cycle: str) -> str | None:
    """Onboarding step 4: the checkout URL for a paid plan intent (None while billing is off or already paid)."""
    if not plan or not stripe_client.configured() or has_running_subscription(workspace):
        return None
    return start_checkout(workspace=workspace, plan=plan, cycle=cycle or "monthly")


def refresh_from_mirror(*, customer, source: str) -> dict:
    """Re-derive the customer's workspace from dj-stripe's mirror of the subscriptions of all the workspace's
    customers (a workspace normally has one; deciding from all of them keeps a stray second one from flipping it)."""
    from djstripe.models import Subscription

    workspace = customer.subscriber
    if workspace is None:
        logger.info("billing.customer_without_workspace", extra={"customer": customer.id})
        return {}
    subscriptions = Subscription.objects.filter(customer__subscriber=workspace)
    derived = derive([subscription.stripe_data for subscription in subscriptions])
    return apply_state(workspace=workspace, derived=derived, customer_id=customer.id, source=source)
