"""A stand-in for the Stripe API on 127.0.0.1, serving Stripe-shaped objects built from `stripe_fixtures/`.

The real `stripe` SDK talks to it over HTTP (`stripe.api_base`), for every call checkout, the portal, dj-stripe's
event processing and `billing_sync` make. It holds the *current* state of each object, as Stripe would; webhook
events built by `event()` carry a snapshot, so a test can deliver a stale event after the state moved on.
Every request is recorded in `calls` as (method, path, params). Unknown paths answer 404 `resource_missing`.
"""

import copy
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlparse

from django.conf import settings

FIXTURES = Path(__file__).parent / "stripe_fixtures"
WEBHOOK_SECRET = "whsec_orbit_test_secret"
TEST_SECRET_KEY = "sk_test_" + "orbit0standin0key0000000"


def create_webhook_endpoint(endpoint_id: str = "we_orbit_test", url: str = "https://api.orbit.test/stripe/webhook/"):
    """dj-stripe's endpoint row that the stand-in's events are signed for (WEBHOOK_SECRET); POST them to
    `/stripe/webhook/<its djstripe_uuid>/`."""
    from djstripe.models import WebhookEndpoint

    return WebhookEndpoint.objects.create(
        id=endpoint_id,
        livemode=False,
        url=url,
        enabled_events=["*"],
        secret=WEBHOOK_SECRET,
        status="enabled",
        api_version="2026-08-26.dahlia",
    )


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


ACCOUNT = fixture("fixtures3__account.json")
CUSTOMER = fixture("customer_cus_6lsBvm5rJ0zyHc.json")
SUBSCRIPTION = fixture("subscription_sub_fakefakefakefakefake0001.json")
INVOICE = fixture("invoice_in_fakefakefakefakefake0001.json")
PRODUCT = fixture("product_prod_fake1.json")
PRICE = fixture("price_gold21323.json")
SESSION_EVENT = fixture("checkout.session.completed__djstripe.json")
EVENT = fixture("customer.subscription.updated__ASSEMBLED.json")
PORTAL_SESSION = fixture("fixtures3__billing_portal.session.json")
DAY = 86400

# path prefix -> collection name in the store
COLLECTIONS = {
    "customers": "customer",
    "subscriptions": "subscription",
    "invoices": "invoice",
    "prices": "price",
    "products": "product",
    "checkout/sessions": "checkout.session",
}


class StripeStandIn:
    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.reset()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def reset(self):
        self.store: dict[str, dict[str, dict]] = {kind: {} for kind in COLLECTIONS.values()}
        self.calls: list[tuple[str, str, dict]] = []
        self.down = False  # every call answers 500 (Stripe outage)
        self._ids = itertools.count(1)
        product = copy.deepcopy(PRODUCT)
        self.store["product"][product["id"]] = product
        for plan, cycles in settings.BILLING_PRICE_LOOKUP_KEYS.items():
            for cycle, lookup_key in cycles.items():
                self.add_price(plan, cycle, lookup_key)

    def _next(self, prefix: str) -> str:
        return f"{prefix}_standin{next(self._ids):06d}"

    def calls_to(self, method: str, prefix: str) -> list[tuple[str, str, dict]]:
        return [call for call in self.calls if call[0] == method and call[1].startswith(prefix)]

    # --- objects -------------------------------------------------------------------------------

    def add_price(self, plan: str, cycle: str, lookup_key: str) -> dict:
        price = copy.deepcopy(PRICE)
        price.update(id=f"price_{plan}_{cycle}", lookup_key=lookup_key, nickname=f"{plan} {cycle}")
        price["recurring"] = {**price.get("recurring", {}), "interval": "month" if cycle == "monthly" else "year"}
        self.store["price"][price["id"]] = price
        return price

    def create_customer(self, params: dict) -> dict:
        customer = copy.deepcopy(CUSTOMER)
        metadata = {key[9:-1]: value for key, value in params.items() if key.startswith("metadata[")}
        customer.update(
            id=self._next("cus"),
            email=params.get("email"),
            name=params.get("name"),
            metadata=metadata,
            created=int(time.time()),
            default_source=None,
            invoice_settings={"custom_fields": None, "default_payment_method": None, "footer": None},
        )
        for listed in ("sources", "subscriptions", "tax_ids"):
            if listed in customer:
                customer[listed] = {"object": "list", "data": [], "has_more": False, "url": f"/v1/{listed}"}
        self.store["customer"][customer["id"]] = customer
        return customer

    def subscribe(
        self, customer_id: str, plan: str = "pro", cycle: str = "monthly", *, status: str = "active", **fields
    ) -> dict:
        """Stripe's current state of a new subscription (what Checkout creates once paid)."""
        price = self.store["price"][f"price_{plan}_{cycle}"]
        now = int(time.time())
        subscription = copy.deepcopy(SUBSCRIPTION)
        subscription_id = fields.pop("id", None) or self._next("sub")
        item = subscription["items"]["data"][0]
        item.update(id=self._next("si"), price=copy.deepcopy(price), subscription=subscription_id)
        item["plan"] = {**item["plan"], "id": price["id"], "interval": price["recurring"]["interval"]}
        subscription.update(
            id=subscription_id,
            customer=customer_id,
            status=status,
            created=now,
            start_date=now,
            current_period_start=now,
            current_period_end=now + (365 if cycle == "yearly" else 30) * DAY,
            default_tax_rates=[],
            latest_invoice=None,
            metadata={},
            plan=item["plan"],
        )
        subscription.update(fields)
        self.store["subscription"][subscription_id] = subscription
        return subscription

    def update_subscription(self, subscription_id: str, **fields) -> dict:
        subscription = self.store["subscription"][subscription_id]
        subscription.update(fields)
        return copy.deepcopy(subscription)

    def change_plan(self, subscription_id: str, plan: str, cycle: str) -> dict:
        """What the portal does on a plan change: the item's price is now another one."""
        price = self.store["price"][f"price_{plan}_{cycle}"]
        subscription = self.store["subscription"][subscription_id]
        subscription["items"]["data"][0]["price"] = copy.deepcopy(price)
        return copy.deepcopy(subscription)

    def invoice(self, subscription: dict, *, status: str = "paid") -> dict:
        invoice = copy.deepcopy(INVOICE)
        paid = status == "paid"
        invoice.update(
            id=self._next("in"),
            customer=subscription["customer"],
            subscription=subscription["id"],
            status=status,
            paid=paid,
            amount_paid=invoice["amount_due"] if paid else 0,
            attempt_count=1,
            created=int(time.time()),
            charge=None,
            payment_intent=None,
            default_tax_rates=[],
            total_tax_amounts=[],
            number=f"ORB-{next(self._ids):04d}",
            # The fixture leaves `lines` empty (dj-stripe fills it in Python); Stripe sends a list object.
            lines={"object": "list", "data": [], "has_more": False, "url": "/v1/invoices/lines"},
        )
        self.store["invoice"][invoice["id"]] = invoice
        return invoice

    def complete_checkout(self, session_id: str, subscription: dict) -> dict:
        session = self.store["checkout.session"][session_id]
        session.update(status="complete", payment_status="paid", subscription=subscription["id"], url=None)
        return copy.deepcopy(session)

    def _create_session(self, params: dict) -> dict:
        session = copy.deepcopy(SESSION_EVENT["data"]["object"])
        session_id = "cs_test_" + self._next("orbit")
        metadata = {key[9:-1]: value for key, value in params.items() if key.startswith("metadata[")}
        session.update(
            id=session_id,
            mode=params.get("mode"),
            customer=params.get("customer"),
            client_reference_id=params.get("client_reference_id"),
            metadata=metadata,
            success_url=params.get("success_url"),
            cancel_url=params.get("cancel_url"),
            payment_intent=None,
            setup_intent=None,
            subscription=None,
            status="open",
            expires_at=int(time.time()) + DAY,
            url=f"https://checkout.stripe.test/c/pay/{session_id}",
        )
        self.store["checkout.session"][session_id] = session
        return session

    def _portal_session(self, params: dict) -> dict:
        session = copy.deepcopy(PORTAL_SESSION)
        session_id = self._next("bps")
        session.update(
            id=session_id,
            customer=params.get("customer"),
            return_url=params.get("return_url"),
            url=f"https://billing.stripe.test/p/session/{session_id}",
        )
        return session

    # --- events --------------------------------------------------------------------------------

    def event(self, event_type: str, obj: dict, *, event_id: str | None = None, created: int | None = None) -> dict:
        """A real-shaped event envelope (from the fixture) around a snapshot of `obj` as it is now."""
        event = copy.deepcopy(EVENT)
        event.update(
            id=event_id or self._next("evt"),
            type=event_type,
            created=created or int(time.time()),
            livemode=False,
            data={"object": copy.deepcopy(obj)},
        )
        return event

    # --- HTTP ----------------------------------------------------------------------------------

    def _answer(self, method: str, path: str, params: dict):
        if self.down:
            return 500, {"error": {"type": "api_error", "message": "The stand-in is down."}}
        parts = path.removeprefix("/v1/").strip("/")
        if method == "GET" and parts == "account":
            return 200, ACCOUNT
        if method == "POST" and parts == "customers":
            return 200, self.create_customer(params)
        if method == "POST" and parts == "checkout/sessions":
            return 200, self._create_session(params)
        if method == "POST" and parts.startswith("checkout/sessions/") and parts.endswith("/expire"):
            session = self.store["checkout.session"].get(parts.split("/")[2])
            if session is None or session["status"] != "open":
                return 400, {"error": {"type": "invalid_request_error", "message": "Only open sessions expire."}}
            session.update(status="expired", url=None)
            return 200, session
        if method == "POST" and parts == "billing_portal/sessions":
            return 200, self._portal_session(params)
        if method == "GET" and parts.startswith("products/") and parts.endswith("/features"):
            return 200, {"object": "list", "data": [], "has_more": False, "url": f"/v1/{parts}"}
        for prefix, kind in COLLECTIONS.items():
            if parts == prefix and method == "GET":
                return 200, self._list(kind, prefix, params)
            if parts.startswith(prefix + "/") and method == "GET":
                found = self.store[kind].get(parts[len(prefix) + 1 :])
                if found is not None:
                    return 200, found
        return 404, {
            "error": {"type": "invalid_request_error", "code": "resource_missing", "message": f"No such: {path}"}
        }

    def _list(self, kind: str, prefix: str, params: dict) -> dict:
        rows = list(self.store[kind].values())
        lookup_keys = [value for key, value in params.items() if key.startswith("lookup_keys[")]
        if lookup_keys:
            rows = [row for row in rows if row.get("lookup_key") in lookup_keys]
        if params.get("customer"):
            rows = [row for row in rows if row.get("customer") == params["customer"]]
        return {"object": "list", "data": rows, "has_more": False, "url": f"/v1/{prefix}"}

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self, method):
                url = urlparse(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                params = dict(parse_qsl(url.query, keep_blank_values=True))
                params.update(parse_qsl(body, keep_blank_values=True))
                standin.calls.append((method, url.path, params))
                status, payload = standin._answer(method, url.path, params)
                raw = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.send_header("Request-Id", "req_standin")
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

            def do_DELETE(self):
                self._serve("DELETE")

        return Handler
