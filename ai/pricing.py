"""Cost of a run from its tokens: USD per million tokens, per model. AI_PRICES (JSON) is merged over this table;
a model missing from both costs 0 (recorded, and logged once per run as unpriced)."""

from decimal import Decimal

from django.conf import settings

# [input, output] USD per million tokens (list prices when written; cached input is priced as normal input).
# Prices change: operators set AI_PRICES for the models they use.
DEFAULT_PRICES = {
    "orbit-builtin": [0, 0],
    "gpt-4o-mini": [0.15, 0.60],
    "gpt-4o": [2.50, 10.00],
    "gpt-4.1": [2.00, 8.00],
    "gpt-4.1-mini": [0.40, 1.60],
    "gpt-4.1-nano": [0.10, 0.40],
    "claude-sonnet-4-5": [3.00, 15.00],
    "claude-sonnet-4-6": [3.00, 15.00],  # Sonnet list price; check yours and set AI_PRICES
    "claude-haiku-4-5": [1.00, 5.00],
    "claude-opus-4-1": [15.00, 75.00],
}


def prices() -> dict:
    return {**DEFAULT_PRICES, **(getattr(settings, "AI_PRICES", None) or {})}


def is_priced(model: str) -> bool:
    return model in prices()


def cost_usd(model: str, input_tokens: int, output_tokens: int) -> Decimal:
    price_in, price_out = prices().get(model, [0, 0])
    total = (Decimal(str(price_in)) * input_tokens + Decimal(str(price_out)) * output_tokens) / Decimal(1_000_000)
    return total.quantize(Decimal("0.000001"))
