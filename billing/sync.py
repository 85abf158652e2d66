"""`billing_sync`: re-read every workspace customer and its subscriptions from Stripe and repair what disagrees.

Heals a workspace whose webhook was missed (Stripe gave up retrying, the endpoint was down, ...). With
`dry_run`, Stripe is read but nothing is written: not dj-stripe's mirror, not the workspace.
"""

import logging
from dataclasses import dataclass, field

import stripe

from billing import stripe_client
from billing.models import BillingState
from billing.state import NO_SUBSCRIPTION, apply_state, changes, derive

logger = logging.getLogger(__name__)


@dataclass
class SyncReport:
    checked: int = 0
    repaired: list = field(default_factory=list)  # (workspace, {field: (old, new)})
    failed: list = field(default_factory=list)  # (customer id, error)
    left_alone: list = field(default_factory=list)  # (workspace, reason)


def _fresh(customer_id: str) -> tuple:
    data = stripe_client.retrieve_customer(customer_id)
    if data is None or data.get("deleted"):
        return data, []
    return data, stripe_client.list_subscriptions(customer_id)


def sync_all(*, dry_run: bool = False) -> SyncReport:
    from djstripe.models import Customer, Subscription
    from djstripe.settings import djstripe_settings

    from workspaces.models import Workspace

    report = SyncReport()
    customers = Customer.objects.filter(subscriber__isnull=False, subscriber__deleted_at__isnull=True)
    for customer in customers.select_related("subscriber").order_by("id"):
        workspace = customer.subscriber
        report.checked += 1
        try:
            customer_data, subscriptions = _fresh(customer.id)
        except stripe.StripeError as exc:
            report.failed.append((customer.id, str(exc)[:200]))
            logger.warning("billing.sync_failed", extra={"customer": customer.id, "error": str(exc)[:200]})
            continue
        plain = [stripe_client.plain(subscription) for subscription in subscriptions]
        derived = derive(plain) if customer_data is not None else NO_SUBSCRIPTION
        diff = changes(workspace, BillingState.objects.filter(workspace=workspace).first(), derived)
        if not diff:
            continue
        report.repaired.append((workspace, diff))
        if dry_run:
            continue
        api_key = djstripe_settings.STRIPE_SECRET_KEY
        for data in subscriptions:
            Subscription.sync_from_stripe_data(data, api_key=api_key)
        apply_state(workspace=workspace, derived=derived, customer_id=customer.id, source="billing_sync")
    paid_without_customer = (
        Workspace.objects.alive().exclude(plan="free").exclude(djstripe_customers__isnull=False).order_by("name")
    )
    for workspace in paid_without_customer:
        report.left_alone.append((workspace, "paid plan without a Stripe customer (set by staff?)"))
    return report
