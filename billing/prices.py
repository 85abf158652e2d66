"""Paid plans ↔ Stripe Prices, by lookup key from configuration (`BILLING_PRICE_*`, see .env.example).

The one place that reads a plan off a Stripe price: `plan_of_price`. Free has no price.
"""

from django.conf import settings

CYCLES = ("monthly", "yearly")


def lookup_keys() -> dict[str, dict[str, str]]:
    """{plan: {cycle: lookup key}} for every paid plan with at least one configured key."""
    configured = getattr(settings, "BILLING_PRICE_LOOKUP_KEYS", {}) or {}
    return {plan: {c: k for c, k in cycles.items() if k} for plan, cycles in configured.items() if any(cycles.values())}


def paid_plans() -> list[str]:
    return sorted(lookup_keys())


def lookup_key_for(plan: str, cycle: str) -> str | None:
    return lookup_keys().get(plan, {}).get(cycle)


def plan_of_price(price: dict | None) -> tuple[str, str] | None:
    """(plan, cycle) of a Stripe price object, from its lookup key; None for a price Orbit does not sell."""
    key = (price or {}).get("lookup_key")
    if not key:
        return None
    for plan, cycles in lookup_keys().items():
        for cycle, configured in cycles.items():
            if configured == key:
                return plan, cycle
    return None
