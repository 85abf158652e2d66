"""Serve billing's Stripe stand-in (billing/tests/stripe_standin.py, the one the billing tests drive) on 127.0.0.1
until SIGTERM/SIGINT, for scripts/fuzz_api.sh: the fuzzed server is started with the stand-in as its Stripe API
(STRIPE_API_HOST) and the stand-in's test key, so checkout and the portal do their real work (customer, prices,
Checkout and Portal sessions over HTTP) instead of answering 503 `service_unavailable` for want of a key.

    python scripts/stripe_standin.py var/fuzz/stripe.env

Once listening it writes STRIPE_API_HOST=... and STRIPE_TEST_SECRET_KEY=... to the given file (for `set -a; .`).
"""

import os
import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orbit.settings")

import django

django.setup()  # the stand-in prices every plan's BILLING_PRICE_LOOKUP_KEYS

from billing.tests.stripe_standin import TEST_SECRET_KEY, StripeStandIn  # noqa: E402


def main(env_file: str) -> None:
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    standin = StripeStandIn().start()
    partial = Path(f"{env_file}.partial")
    partial.write_text(f"STRIPE_API_HOST={standin.base_url}\nSTRIPE_TEST_SECRET_KEY={TEST_SECRET_KEY}\n")
    partial.replace(env_file)  # whole or not at all, for the script polling for it
    stop.wait()
    standin.stop()


if __name__ == "__main__":
    main(sys.argv[1])
