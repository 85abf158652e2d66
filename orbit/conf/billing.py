"""Billing: Stripe and dj-stripe, and how plans map to Stripe Prices."""

from orbit.conf.base import env

STRIPE_LIVE_MODE = env.bool("STRIPE_LIVE_MODE", default=False)
STRIPE_TEST_SECRET_KEY = env.str("STRIPE_TEST_SECRET_KEY", default="")
STRIPE_LIVE_SECRET_KEY = env.str("STRIPE_LIVE_SECRET_KEY", default="")
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
DJSTRIPE_SUBSCRIBER_MODEL = "workspaces.Workspace"
DJSTRIPE_SUBSCRIBER_MODEL_MIGRATION_DEPENDENCY = "0001_initial"
DJSTRIPE_USE_NATIVE_JSONFIELD = True
SILENCED_SYSTEM_CHECKS = ["djstripe.I002"]
# Another Stripe API server: a local stand-in only (scripts/fuzz_api.sh serves billing's). dj-stripe points the SDK
# at it whenever the setting exists, so it exists only when set; refused in production (orbit.config).
if env.str("STRIPE_API_HOST", default=""):
    STRIPE_API_HOST = env.str("STRIPE_API_HOST")
# Paid plans map to Stripe Prices by lookup key (set the same keys on the Prices in the Stripe dashboard); Free has
# no price. The plan a workspace is on is read back from its subscription's price through these keys.
BILLING_PRICE_LOOKUP_KEYS = {
    "pro": {
        "monthly": env.str("BILLING_PRICE_PRO_MONTHLY", default="orbit_pro_monthly"),
        "yearly": env.str("BILLING_PRICE_PRO_YEARLY", default="orbit_pro_yearly"),
    },
    "team": {
        "monthly": env.str("BILLING_PRICE_TEAM_MONTHLY", default="orbit_team_monthly"),
        "yearly": env.str("BILLING_PRICE_TEAM_YEARLY", default="orbit_team_yearly"),
    },
}
# Days a workspace keeps its paid limits after a failed payment (past_due) before Free limits apply.
BILLING_GRACE_DAYS = env.int("BILLING_GRACE_DAYS", default=7)
# Where Stripe Checkout and the Customer Portal send the browser back to, a path on FRONTEND_URL.
BILLING_RETURN_PATH = env.str("BILLING_RETURN_PATH", default="/settings/billing")
