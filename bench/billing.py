"""Billing figures: what one Stripe webhook costs (Stripe API calls made by dj-stripe and Orbit, database queries,
wall time) per event type, what `plan_for` costs on Free and on a paid plan, and `billing_sync` over N customers.

    .venv/bin/python bench/billing.py [--workspaces 20] [--repeat 10]

Runs in-process (Django test client, the tests' stand-in Stripe on 127.0.0.1) against its own PostgreSQL
database (`bench_orbit_billing`, kept between runs and emptied first; the first run migrates dj-stripe, ~1 min).
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orbit.test_settings")
os.environ["TEST_DATABASE_NAME"] = "bench_orbit_billing"

import django

django.setup()

import harness  # noqa: E402
import stripe  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def timed(fn):
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = fn()
        ms = (time.perf_counter() - started) * 1000
    return result, ms, len(captured)


def main():
    args = harness.count_options(__doc__.split("\n\n")[0], workspaces=20, repeat=10)
    harness.keep_test_database()

    from django.conf import settings
    from djstripe.models import Customer, Event, Subscription, WebhookEndpoint

    from accounts.models import User
    from billing.plans import plan_for
    from billing.sync import sync_all
    from billing.tests.stripe_standin import TEST_SECRET_KEY, WEBHOOK_SECRET, StripeStandIn, create_webhook_endpoint
    from conftest import client_for
    from workspaces.models import Workspace
    from workspaces.tests.factories import WorkspaceFactory

    Event.objects.all().delete()
    Subscription.objects.all().delete()
    Customer.objects.all().delete()
    Workspace.objects.all().delete()
    User.objects.all().delete()
    WebhookEndpoint.objects.all().delete()

    standin = StripeStandIn().start()
    stripe.api_base, stripe.max_network_retries = standin.base_url, 0
    settings.STRIPE_TEST_SECRET_KEY = TEST_SECRET_KEY
    endpoint = create_webhook_endpoint("we_bench", "https://bench.test/")
    hook = f"/stripe/webhook/{endpoint.djstripe_uuid}/"
    web = Client()

    def deliver(event):
        payload = json.dumps(event)
        signature = stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)
        response = web.post(hook, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)
        assert response.status_code == 200, response.content[:300]

    rows: dict[str, list] = {}

    def measure(kind, fn, *args):
        before = len(standin.calls)
        result, ms, queries = timed(lambda: fn(*args))
        rows.setdefault(kind, []).append((ms, len(standin.calls) - before, queries))
        return result

    def send(event_type, obj):
        deliver(standin.event(event_type, obj))

    workspaces = []
    for _ in range(args.workspaces):
        workspace = WorkspaceFactory()
        owner = client_for(workspace.owner)
        checkout = f"/api/workspaces/{workspace.pk}/billing/checkout/"
        response = measure("POST billing/checkout/ (creates the customer)", owner.post, checkout, {"plan": "pro"})
        session_id = response.json()["url"].rsplit("/", 1)[1]
        session = standin.store["checkout.session"][session_id]
        subscription = standin.subscribe(session["customer"], "pro", "monthly")
        completed = standin.complete_checkout(session_id, subscription)
        measure("checkout.session.completed", send, "checkout.session.completed", completed)
        upgraded = standin.change_plan(subscription["id"], "team", "yearly")
        event = standin.event("customer.subscription.updated", upgraded)
        measure("customer.subscription.updated", deliver, event)
        measure("the same event again (dj-stripe's dedup)", deliver, event)
        failed = standin.invoice(standin.update_subscription(subscription["id"], status="past_due"), status="open")
        measure("invoice.payment_failed", send, "invoice.payment_failed", failed)
        paid = standin.invoice(standin.update_subscription(subscription["id"], status="active"))
        measure("invoice.paid", send, "invoice.paid", paid)
        workspaces.append(subscription)

    print(f"per request, {args.workspaces} workspaces (median ms / Stripe API calls / DB queries):")
    for kind, samples in rows.items():
        ms = statistics.median(s[0] for s in samples)
        print(
            f"  {kind:<52} {ms:7.1f} ms  {statistics.median(s[1] for s in samples):3.0f} calls"
            f"  {statistics.median(s[2] for s in samples):4.0f} queries"
        )

    free = WorkspaceFactory()
    paid_workspace = Workspace.objects.exclude(plan="free").first()
    for label, target in (("Free", free), ("Team (paid)", paid_workspace)):
        samples = [timed(lambda t=target: plan_for(t)) for _ in range(args.repeat)]
        print(f"plan_for on {label}: {statistics.median(s[1] for s in samples) * 1000:.0f} µs, {samples[0][2]} queries")

    for subscription in workspaces[: len(workspaces) // 2]:
        standin.change_plan(subscription["id"], "pro", "monthly")  # missed webhooks: half of them drift
    for dry_run in (True, False, False):
        before = len(standin.calls)
        report, ms, queries = timed(lambda d=dry_run: sync_all(dry_run=d))
        print(
            f"billing_sync{' --dry-run' if dry_run else ''}: {report.checked} customers in {ms:.0f} ms, "
            f"{len(report.repaired)} repaired, {len(standin.calls) - before} Stripe calls, {queries} queries"
        )
    standin.stop()


if __name__ == "__main__":
    main()
