"""Every call Orbit itself makes to Stripe (dj-stripe makes its own while processing webhooks).

Stripe failures become 503 `service_unavailable`; a missing secret key means billing is off (local default).
"""

import logging

import stripe
from djstripe.settings import djstripe_settings

from orbit.errors import ServiceUnavailable

logger = logging.getLogger(__name__)


class BillingNotConfigured(ServiceUnavailable):
    default_message = "Billing is not configured on this server (no Stripe secret key)."


def configured() -> bool:
    return bool(djstripe_settings.STRIPE_SECRET_KEY)


def require_configured() -> None:
    """Raise BillingNotConfigured (503) when no Stripe secret key is set, before anything talks to Stripe."""
    if not configured():
        raise BillingNotConfigured()


def _options() -> dict:
    """The per-request options of the stripe SDK's public API (`api_key`, `stripe_version`) for every call here."""
    require_configured()
    return {"api_key": djstripe_settings.STRIPE_SECRET_KEY, "stripe_version": djstripe_settings.STRIPE_API_VERSION}


def _call(what: str, fn, *args, **kwargs):
    try:
        return fn(*args, **_options(), **kwargs)
    except stripe.StripeError as exc:
        logger.warning("billing.stripe_error", extra={"call": what, "error": str(exc)[:300]})
        raise ServiceUnavailable(f"Stripe could not {what}; try again shortly.") from exc


def price_id(lookup_key: str) -> str:
    prices = _call("look up the price", stripe.Price.list, lookup_keys=[lookup_key], active=True, limit=1)
    if not prices.data:
        raise ServiceUnavailable(f"No active Stripe price has the lookup key {lookup_key!r}; check BILLING_PRICE_*.")
    return prices.data[0].id


def create_checkout_session(**params) -> dict:
    return _call("start checkout", stripe.checkout.Session.create, **params)


def retrieve_checkout_session(session_id: str) -> dict | None:
    try:
        return _call("read the checkout session", stripe.checkout.Session.retrieve, session_id)
    except ServiceUnavailable as exc:
        cause = exc.__cause__
        if isinstance(cause, stripe.InvalidRequestError) and getattr(cause, "code", None) == "resource_missing":
            return None
        raise


def expire_checkout_session(session_id: str) -> dict:
    return _call("close the previous checkout", stripe.checkout.Session.expire, session_id)


def create_portal_session(**params) -> dict:
    return _call("open the customer portal", stripe.billing_portal.Session.create, **params)


def plain(stripe_object) -> dict:
    """A StripeObject as plain JSON-able data (the SDK turns `*_decimal` fields into Decimal)."""
    return stripe_object.to_dict(for_json=True)


# These return StripeObjects, as dj-stripe's sync_from_stripe_data expects them.
def _retrieve(resource, object_id: str):
    """The object, or None when Stripe no longer has it (`resource_missing`); other errors propagate."""
    try:
        return resource.retrieve(object_id, **_options())
    except stripe.InvalidRequestError as exc:
        if getattr(exc, "code", None) == "resource_missing":
            return None
        raise


def retrieve_subscription(subscription_id: str):
    return _retrieve(stripe.Subscription, subscription_id)


def list_subscriptions(customer_id: str) -> list:
    found = stripe.Subscription.list(customer=customer_id, status="all", limit=100, **_options())
    return list(found.auto_paging_iter())


def list_customers() -> list:
    return list(stripe.Customer.list(limit=100, **_options()).auto_paging_iter())


def retrieve_customer(customer_id: str):
    return _retrieve(stripe.Customer, customer_id)
