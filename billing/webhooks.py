"""Stripe webhooks that drive a workspace's plan, received through dj-stripe's endpoint.

dj-stripe verifies the signature (and the timestamp tolerance) of `/stripe/webhook/<uuid>/`, stores each Event
once (a repeated event id runs no handler again), re-retrieves the event's object from Stripe and syncs its
mirror, then sends the signal these receivers listen to, all inside one transaction: an exception here rolls
everything back and answers 500, so Stripe retries. Event types not listed are acknowledged and ignored.

The receivers never read the state off the event: they re-read the subscription from Stripe (dj-stripe already
did for `customer.subscription.*`) and derive the workspace's plan from the customer's current subscriptions.
"""

import logging

from djstripe.event_handlers import djstripe_receiver

from billing import stripe_client
from billing.services import refresh_from_mirror

logger = logging.getLogger(__name__)

HANDLED_EVENTS = [
    "checkout.session.completed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "invoice.paid",
    "invoice.payment_failed",
]


def _id(value) -> str | None:
    return value.get("id") if isinstance(value, dict) else value


def _subscription_id(event_type: str, obj: dict) -> str | None:
    if event_type.startswith("customer.subscription."):
        return obj.get("id")
    found = obj.get("subscription")
    if not found:  # invoices since API 2025-03: parent.subscription_details.subscription
        found = ((obj.get("parent") or {}).get("subscription_details") or {}).get("subscription")
    return _id(found)


def _resync_subscription(subscription_id: str, api_key: str):
    from djstripe.models import Subscription

    data = stripe_client.retrieve_subscription(subscription_id)
    if data is not None:
        Subscription.sync_from_stripe_data(data, api_key=api_key)


def _attach_workspace(customer, obj: dict) -> None:
    """A checkout for a customer dj-stripe could not link (metadata lost): link it by our client_reference_id."""
    from workspaces.models import Workspace

    reference = obj.get("client_reference_id") or (obj.get("metadata") or {}).get("workspace_id")
    if customer.subscriber_id is None and reference:
        workspace = Workspace.objects.alive().filter(pk=reference).first() if _is_uuid(reference) else None
        if workspace is not None:
            customer.subscriber = workspace
            customer.save(update_fields=["subscriber"])


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@djstripe_receiver(HANDLED_EVENTS)
def on_billing_event(sender, event, **kwargs):
    from djstripe.models import Customer

    obj = (event.data or {}).get("object") or {}
    customer_id = _id(obj.get("customer"))
    if not customer_id:
        logger.info("billing.event_without_customer", extra={"event": event.id, "type": event.type})
        return
    subscription_id = _subscription_id(event.type, obj)
    if subscription_id and not event.type.startswith("customer.subscription."):
        _resync_subscription(subscription_id, event.default_api_key)
    customer = Customer.objects.filter(id=customer_id).select_related("subscriber").first()
    if customer is None:
        logger.info("billing.event_for_unknown_customer", extra={"event": event.id, "customer": customer_id})
        return
    if event.type == "checkout.session.completed":
        _attach_workspace(customer, obj)
    refresh_from_mirror(customer=customer, source=f"webhook:{event.type}:{event.id}")
