import json

import pytest
import stripe

from billing.tests.stripe_standin import TEST_SECRET_KEY, WEBHOOK_SECRET, StripeStandIn, create_webhook_endpoint


@pytest.fixture(scope="session")
def _standin_server():
    server = StripeStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def stripe_api(_standin_server, settings):
    """The stand-in Stripe, reset, with the SDK pointed at it (no retries) and a test secret key configured."""
    _standin_server.reset()
    saved = stripe.api_base, stripe.max_network_retries
    stripe.api_base, stripe.max_network_retries = _standin_server.base_url, 0
    settings.STRIPE_TEST_SECRET_KEY = TEST_SECRET_KEY
    settings.STRIPE_LIVE_MODE = False
    yield _standin_server
    stripe.api_base, stripe.max_network_retries = saved


@pytest.fixture
def webhook_endpoint(db):
    return create_webhook_endpoint()


@pytest.fixture
def deliver(client, webhook_endpoint):
    """`deliver(event)` POSTs it to dj-stripe's endpoint signed like Stripe does; `signature=`/`timestamp=` forge."""

    def post(event: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None, signature=...):
        payload = json.dumps(event)
        if signature is ...:
            signature = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)
        headers = {} if signature is None else {"HTTP_STRIPE_SIGNATURE": signature}
        url = f"/stripe/webhook/{webhook_endpoint.djstripe_uuid}/"
        return client.post(url, data=payload, content_type="application/json", **headers)

    return post
