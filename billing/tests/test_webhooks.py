"""Stripe → dj-stripe's webhook endpoint → the workspace's plan, against the stand-in Stripe over HTTP."""

import time
from datetime import timedelta

import pytest
import time_machine
from djstripe.models import Event

from billing.models import BillingState
from billing.tests.stripe_standin import WEBHOOK_SECRET
from workspaces.models import ActivityEvent

pytestmark = pytest.mark.django_db


def checkout_url(workspace):
    return f"/api/workspaces/{workspace.pk}/billing/checkout/"


def invite(owner, workspace, email):
    return owner.post(f"/api/workspaces/{workspace.pk}/invitations/", {"email": email}, format="json")


def subscribe(owner, workspace, stripe_api, deliver, plan="pro", cycle="monthly"):
    """Checkout as the SPA does it, the customer pays at Stripe, Stripe sends checkout.session.completed."""
    response = owner.post(checkout_url(workspace), {"plan": plan, "cycle": cycle}, format="json")
    assert response.status_code == 201, response.content
    session_id = response.json()["url"].rsplit("/", 1)[1]
    session = stripe_api.store["checkout.session"][session_id]
    subscription = stripe_api.subscribe(session["customer"], plan, cycle)
    completed = stripe_api.complete_checkout(session_id, subscription)
    assert deliver(stripe_api.event("checkout.session.completed", completed)).status_code == 200
    return subscription


def snapshot(workspace):
    """Everything a refused or ignored webhook must leave as it was."""
    workspace.refresh_from_db()
    state = BillingState.objects.filter(workspace=workspace).values().first()
    verbs = list(ActivityEvent.objects.filter(workspace=workspace).values_list("verb", flat=True))
    return workspace.plan, state, verbs, Event.objects.count()


@pytest.fixture
def owner(member):
    return member("owner")


@pytest.fixture
def pro(owner, workspace, stripe_api, deliver):
    return subscribe(owner, workspace, stripe_api, deliver)


def test_checkout_webhook_makes_the_workspace_pro_and_a_limit_allows_more(owner, workspace, stripe_api, deliver):
    assert invite(owner, workspace, "one@example.com").status_code == 201
    refused = invite(owner, workspace, "two@example.com")
    assert (refused.status_code, refused.json()["error"]["code"]) == (402, "plan_limit_exceeded")

    subscription = subscribe(owner, workspace, stripe_api, deliver)

    workspace.refresh_from_db()
    state = BillingState.objects.get(workspace=workspace)
    assert (workspace.plan, state.status, state.cycle, state.subscription_id) == (
        "pro",
        "active",
        "monthly",
        subscription["id"],
    )
    assert state.customer.subscriber == workspace
    assert invite(owner, workspace, "two@example.com").status_code == 201  # Pro: 5 seats
    verbs = ActivityEvent.objects.filter(workspace=workspace, verb__startswith="billing.")
    assert sorted(verbs.values_list("verb", flat=True)) == ["billing.plan_changed", "billing.status_changed"]
    # dj-stripe re-read the objects from "Stripe" instead of trusting the payload
    paths = [path for method, path, _ in stripe_api.calls if method == "GET"]
    assert any(path.startswith("/v1/checkout/sessions/cs_test_") for path in paths)
    assert f"/v1/subscriptions/{subscription['id']}" in paths


def test_a_repeated_event_is_processed_once(owner, workspace, stripe_api, deliver, pro):
    event = stripe_api.event("customer.subscription.updated", pro)
    assert deliver(event).status_code == 200
    before, calls = snapshot(workspace), len(stripe_api.calls)
    for _ in range(2):
        assert deliver(event).status_code == 200
    assert snapshot(workspace) == before
    assert len(stripe_api.calls) == calls  # dj-stripe found the Event row: no re-retrieve, no handler
    assert Event.objects.filter(id=event["id"]).count() == 1


def test_an_older_event_after_a_newer_one_never_rolls_back(owner, workspace, stripe_api, deliver, pro):
    old_snapshot = stripe_api.event("customer.subscription.updated", pro, created=int(time.time()) - 600)
    stale_created = stripe_api.event("customer.subscription.created", {**pro, "status": "incomplete"})
    upgraded = stripe_api.change_plan(pro["id"], "team", "yearly")
    assert deliver(stripe_api.event("customer.subscription.updated", upgraded)).status_code == 200
    workspace.refresh_from_db()
    assert workspace.plan == "team"

    # Stripe delivers the older events late: both still say pro/incomplete in their payload.
    assert deliver(old_snapshot).status_code == 200
    assert deliver(stale_created).status_code == 200
    workspace.refresh_from_db()
    state = BillingState.objects.get(workspace=workspace)
    assert (workspace.plan, state.status, state.cycle) == ("team", "active", "yearly")


def test_an_old_subscriptions_deletion_does_not_end_the_new_one(owner, workspace, stripe_api, deliver, pro):
    ended = stripe_api.update_subscription(pro["id"], status="canceled")
    replacement = stripe_api.subscribe(pro["customer"], "team", "monthly")
    assert deliver(stripe_api.event("customer.subscription.created", replacement)).status_code == 200
    assert deliver(stripe_api.event("customer.subscription.deleted", ended)).status_code == 200
    workspace.refresh_from_db()
    assert (workspace.plan, BillingState.objects.get(workspace=workspace).status) == ("team", "active")


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param({"signature": None}, id="missing signature"),
        pytest.param({"secret": "whsec_someone_else"}, id="signed with another secret"),
        pytest.param({"signature": "t=1,v1=deadbeef"}, id="garbled signature"),
        pytest.param({"timestamp": int(time.time()) - 301}, id="timestamp outside tolerance"),
    ],
)
def test_a_badly_signed_event_is_a_400_and_changes_nothing(forge, owner, workspace, stripe_api, deliver, pro):
    canceled = stripe_api.update_subscription(pro["id"], status="canceled")
    before, calls = snapshot(workspace), len(stripe_api.calls)
    response = deliver(stripe_api.event("customer.subscription.deleted", canceled), **forge)
    assert (response.status_code, response.content) == (400, b"")  # dj-stripe's endpoint: Stripe reads the status
    assert snapshot(workspace) == before
    assert len(stripe_api.calls) == calls


def test_the_right_secret_with_the_current_time_is_accepted(owner, workspace, stripe_api, deliver, pro):
    canceled = stripe_api.update_subscription(pro["id"], status="canceled")
    event = stripe_api.event("customer.subscription.deleted", canceled)
    assert deliver(event, secret=WEBHOOK_SECRET, timestamp=int(time.time()) - 60).status_code == 200
    workspace.refresh_from_db()
    assert workspace.plan == "free"


@pytest.mark.parametrize("event_type", ["balance.available", "orbit.made_up_event"])
def test_unknown_event_types_are_acknowledged_and_ignored(event_type, owner, workspace, stripe_api, deliver, pro):
    before = snapshot(workspace)
    response = deliver(stripe_api.event(event_type, {"id": "obj_1", "object": "balance", "customer": pro["customer"]}))
    assert response.status_code == 200
    plan, state, verbs, events = snapshot(workspace)
    assert (plan, state, verbs, events) == (before[0], before[1], before[2], before[3] + 1)


def test_a_failure_while_processing_is_a_500_and_a_retry_applies_it(client, owner, workspace, stripe_api, deliver, pro):
    client.raise_request_exception = False
    canceled = stripe_api.update_subscription(pro["id"], status="canceled")
    event = stripe_api.event("customer.subscription.deleted", canceled)
    stripe_api.down = True
    before = snapshot(workspace)
    assert deliver(event).status_code == 500  # Stripe will retry
    assert snapshot(workspace) == before
    stripe_api.down = False
    assert deliver(event).status_code == 200
    workspace.refresh_from_db()
    assert workspace.plan == "free"


def test_payment_failure_grace_period_then_free_limits(
    settings, make_client, owner, workspace, stripe_api, deliver, pro
):
    settings.BILLING_GRACE_DAYS = 3  # shorter than the invitations' 7 days, so the seats still count after it
    for n in range(3):
        assert invite(owner, workspace, f"m{n}@example.com").status_code == 201  # 4 of Pro's 5 seats
    failed_sub = stripe_api.update_subscription(pro["id"], status="past_due")
    failed = stripe_api.invoice(failed_sub, status="open")
    assert deliver(stripe_api.event("invoice.payment_failed", failed)).status_code == 200

    workspace.refresh_from_db()
    state = BillingState.objects.get(workspace=workspace)
    assert (workspace.plan, state.status) == ("pro", "past_due")
    assert state.grace_ends_at - state.updated_at == pytest.approx(timedelta(days=3), abs=timedelta(seconds=5))
    status_events = ActivityEvent.objects.filter(workspace=workspace, verb="billing.status_changed")
    assert status_events.first().metadata["to"] == "past_due"
    assert invite(owner, workspace, "m3@example.com").status_code == 201  # still Pro limits in the grace period

    with time_machine.travel(state.grace_ends_at + timedelta(minutes=1)):
        refused = invite(make_client(owner.user), workspace, "m4@example.com")  # a fresh token a week later
    assert refused.status_code == 402
    error = refused.json()["error"]
    assert error["code"] == "plan_limit_exceeded"
    assert error["details"]["plan"] == "free"
    assert error["details"]["subscribed_plan"] == "pro"
    assert error["details"]["applies_to"] == "new_actions_only"
    assert workspace.invitations.filter(revoked_at__isnull=True).count() == 4  # nothing was removed

    # The customer fixes the card: Stripe retries, the invoice is paid, the subscription is active again.
    paid_sub = stripe_api.update_subscription(pro["id"], status="active")
    paid = stripe_api.invoice(paid_sub, status="paid")
    assert deliver(stripe_api.event("invoice.paid", paid)).status_code == 200
    state.refresh_from_db()
    assert (state.status, state.grace_ends_at) == ("active", None)


def test_cancel_at_period_end_keeps_pro_until_the_period_ends(owner, workspace, stripe_api, deliver, pro):
    scheduled = stripe_api.update_subscription(pro["id"], cancel_at_period_end=True)
    assert deliver(stripe_api.event("customer.subscription.updated", scheduled)).status_code == 200
    body = owner.get(f"/api/workspaces/{workspace.pk}/billing/subscription/").json()
    assert (body["plan"], body["status"], body["cancel_at_period_end"]) == ("pro", "active", True)
    assert body["current_period_end"] is not None
    assert ActivityEvent.objects.filter(workspace=workspace, verb="billing.cancellation_scheduled").exists()

    ended = stripe_api.update_subscription(pro["id"], status="canceled")
    assert deliver(stripe_api.event("customer.subscription.deleted", ended)).status_code == 200
    body = owner.get(f"/api/workspaces/{workspace.pk}/billing/subscription/").json()
    assert (body["plan"], body["subscribed_plan"], body["status"]) == ("free", "free", "canceled")
    plan_changes = ActivityEvent.objects.filter(workspace=workspace, verb="billing.plan_changed")
    assert [(e.metadata["from"], e.metadata["to"]) for e in plan_changes.order_by("created_at")] == [
        ("free", "pro"),
        ("pro", "free"),
    ]
