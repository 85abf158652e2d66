"""`billing_sync`: re-read every workspace customer and its subscriptions from Stripe and repair what disagrees.

Heals a workspace whose webhook was missed (Stripe gave up retrying, the endpoint was down, ...), and links
back a Stripe customer that names a live workspace but is missing here (a restored database). With
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


def _unlinked_customers(known: set[str]) -> list:
    """(Stripe customer, workspace) for customers at Stripe that name a live workspace but are missing here
    (e.g. the database was restored from a backup older than their checkout)."""
    from django.core.exceptions import ValidationError
    from djstripe.settings import djstripe_settings

    from workspaces.models import Workspace

    found = []
    for customer in stripe_client.list_customers():
        reference = (customer.get("metadata") or {}).get(djstripe_settings.SUBSCRIBER_CUSTOMER_KEY)
        if not reference or customer.id in known:
            continue
        try:
            workspace = Workspace.objects.alive().filter(pk=reference).first()
        except (ValueError, ValidationError):
            workspace = None
        if workspace is not None:
            found.append((customer, workspace))
    return found


def sync_all(*, dry_run: bool = False) -> SyncReport:
    from djstripe.models import Customer, Subscription
    from djstripe.settings import djstripe_settings

    from workspaces.models import Workspace

    report = SyncReport()
    api_key = djstripe_settings.STRIPE_SECRET_KEY
    local = Customer.objects.filter(subscriber__isnull=False, subscriber__deleted_at__isnull=True)
    to_check = [(customer.id, customer.subscriber, None) for customer in local.select_related("subscriber")]
    try:
        unlinked = _unlinked_customers(set(Customer.objects.values_list("id", flat=True)))
    except stripe.StripeError as exc:
        report.failed.append(("(customer list)", str(exc)[:200]))
        unlinked = []
    to_check += [(customer.id, workspace, customer) for customer, workspace in unlinked]
    for customer_id, workspace, missing in sorted(to_check, key=lambda row: row[0]):
        report.checked += 1
        try:
            customer_data, subscriptions = _fresh(customer_id)
        except stripe.StripeError as exc:
            report.failed.append((customer_id, str(exc)[:200]))
            logger.warning("billing.sync_failed", extra={"customer": customer_id, "error": str(exc)[:200]})
            continue
        plain = [stripe_client.plain(subscription) for subscription in subscriptions]
        derived = derive(plain) if customer_data is not None else NO_SUBSCRIPTION
        diff = changes(workspace, BillingState.objects.filter(workspace=workspace).first(), derived)
        if missing is not None:
            diff = {"customer": (None, customer_id), **diff}
        if not diff:
            continue
        report.repaired.append((workspace, diff))
        if dry_run:
            continue
        if missing is not None:
            Customer.sync_from_stripe_data(missing, api_key=api_key)  # re-attached through its metadata
        for data in subscriptions:
            Subscription.sync_from_stripe_data(data, api_key=api_key)
        apply_state(workspace=workspace, derived=derived, customer_id=customer_id, source="billing_sync")
    paid_without_customer = (
        Workspace.objects.alive().exclude(plan="free").exclude(djstripe_customers__isnull=False).order_by("name")
    )
    for workspace in paid_without_customer:
        report.left_alone.append((workspace, "paid plan without a Stripe customer (set by staff?)"))
    return report
