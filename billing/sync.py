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
from billing.state import apply_state, changes, derive

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
    """Per workspace: re-read all its customers' subscriptions from Stripe, derive once, repair what differs."""
    from djstripe.models import Customer, Subscription
    from djstripe.settings import djstripe_settings

    from workspaces.models import Workspace

    report = SyncReport()
    api_key = djstripe_settings.STRIPE_SECRET_KEY
    local = Customer.objects.filter(subscriber__isnull=False, subscriber__deleted_at__isnull=True)
    by_workspace: dict = {}  # workspace pk -> (workspace, [(customer id, Stripe customer if missing here)])
    for customer in local.select_related("subscriber").order_by("id"):
        by_workspace.setdefault(customer.subscriber_id, (customer.subscriber, []))[1].append((customer.id, None))
    try:
        unlinked = _unlinked_customers(set(Customer.objects.values_list("id", flat=True)))
    except stripe.StripeError as exc:
        report.failed.append(("(customer list)", str(exc)[:200]))
        unlinked = []
    for customer, workspace in unlinked:
        by_workspace.setdefault(workspace.pk, (workspace, []))[1].append((customer.id, customer))
    for workspace, customers in sorted(by_workspace.values(), key=lambda entry: str(entry[0].pk)):
        report.checked += len(customers)
        try:
            fresh = {customer_id: _fresh(customer_id) for customer_id, _ in customers}
        except stripe.StripeError as exc:
            report.failed.append((", ".join(customer_id for customer_id, _ in customers), str(exc)[:200]))
            logger.warning("billing.sync_failed", extra={"workspace": str(workspace.pk), "error": str(exc)[:200]})
            continue
        subscriptions = [sub for data, subs in fresh.values() if data is not None for sub in subs]
        derived = derive([stripe_client.plain(subscription) for subscription in subscriptions])
        diff = changes(workspace, BillingState.objects.filter(workspace=workspace).first(), derived)
        missing = [(customer_id, obj) for customer_id, obj in customers if obj is not None]
        if missing:
            diff = {"customer": (None, ", ".join(customer_id for customer_id, _ in missing)), **diff}
        if not diff:
            continue
        report.repaired.append((workspace, diff))
        if dry_run:
            continue
        for _, obj in missing:
            Customer.sync_from_stripe_data(obj, api_key=api_key)  # re-attached through its metadata
        for data in subscriptions:
            Subscription.sync_from_stripe_data(data, api_key=api_key)
        chosen = next((s for s in subscriptions if s.id == derived.subscription_id), None)
        customer_id = _customer_id(chosen) if chosen is not None else customers[0][0]
        apply_state(workspace=workspace, derived=derived, customer_id=customer_id, source="billing_sync")
    paid_without_customer = (
        Workspace.objects.alive().exclude(plan="free").exclude(djstripe_customers__isnull=False).order_by("name")
    )
    for workspace in paid_without_customer:
        report.left_alone.append((workspace, "paid plan without a Stripe customer (set by staff?)"))
    return report


def _customer_id(subscription) -> str:
    customer = subscription.get("customer")
    return customer.get("id") if isinstance(customer, dict) else getattr(customer, "id", customer)
