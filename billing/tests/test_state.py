"""The state machine: Stripe's current subscription(s) → the workspace's plan and status (billing/state.py)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from billing.models import BillingState
from billing.plans import enforce_limit, plan_for
from billing.prices import plan_of_price
from billing.state import apply_state, derive, effective_plan_code
from orbit.errors import PlanLimitExceeded
from workspaces.models import ActivityEvent
from workspaces.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("stripe_status", "plan", "status"),
    [
        ("active", "pro", "active"),
        ("trialing", "pro", "trialing"),
        ("past_due", "pro", "past_due"),  # paid limits until the grace period ends (plan_for)
        ("unpaid", "pro", "unpaid"),
        ("canceled", "free", "canceled"),
        ("incomplete", "free", "incomplete"),  # first payment not made: nothing paid for yet
        ("incomplete_expired", "free", "canceled"),
        ("paused", "free", "canceled"),
    ],
)
def test_plan_and_status_follow_the_subscription(stripe_api, stripe_status, plan, status):
    derived = derive([stripe_api.subscribe("cus_x", "pro", "monthly", status=stripe_status)])
    assert (derived.plan, derived.status, derived.cycle) == (plan, status, "monthly")


def test_no_subscription_is_free():
    assert (derive([]).plan, derive([]).status) == ("free", "none")


def test_the_plan_comes_from_the_price_lookup_key(stripe_api):
    derived = derive([stripe_api.subscribe("cus_x", "team", "yearly")])
    assert (derived.plan, derived.status, derived.cycle) == ("team", "active", "yearly")


def test_lookup_keys_are_configuration(settings):
    settings.BILLING_PRICE_LOOKUP_KEYS = {"pro": {"monthly": "acme_pro_m", "yearly": ""}}
    assert plan_of_price({"lookup_key": "acme_pro_m"}) == ("pro", "monthly")
    assert plan_of_price({"lookup_key": "orbit_pro_monthly"}) is None


def test_a_price_orbit_does_not_sell_gives_free(stripe_api):
    subscription = stripe_api.subscribe("cus_x", "pro", "monthly")
    subscription["items"]["data"][0]["price"]["lookup_key"] = "someone_elses_price"
    assert derive([subscription]).plan == "free"


def test_a_running_subscription_outranks_a_newer_ended_one(stripe_api):
    running = stripe_api.subscribe("cus_x", "pro", "monthly", created=1000)
    ended = stripe_api.subscribe("cus_x", "team", "monthly", status="canceled", created=2000)
    assert derive([ended, running]).subscription_id == running["id"]
    newer = stripe_api.subscribe("cus_x", "team", "monthly", created=3000)
    assert derive([running, newer, ended]).plan == "team"


def test_period_end_is_read_from_the_items_on_recent_api_versions(stripe_api):
    subscription = stripe_api.subscribe("cus_x")
    subscription["items"]["data"][0]["current_period_end"] = subscription.pop("current_period_end")
    assert derive([subscription]).current_period_end is not None


def past_due(workspace, stripe_api):
    derived = derive([stripe_api.subscribe("cus_x", "pro", "monthly", status="past_due")])
    apply_state(workspace=workspace, derived=derived, customer_id=None, source="test")
    return BillingState.objects.get(workspace=workspace)


def test_past_due_keeps_paid_limits_for_the_grace_period_then_free(settings, workspace, stripe_api):
    settings.BILLING_GRACE_DAYS = 3
    state = past_due(workspace, stripe_api)
    assert state.grace_ends_at - timezone.now() == pytest.approx(timedelta(days=3), abs=timedelta(seconds=5))
    assert plan_for(workspace)["code"] == "pro"
    assert effective_plan_code(workspace, now=state.grace_ends_at + timedelta(seconds=1)) == "free"
    BillingState.objects.filter(pk=state.pk).update(grace_ends_at=timezone.now() - timedelta(seconds=1))
    assert plan_for(workspace)["code"] == "free"
    assert workspace.plan == "pro"  # still what the subscription pays for


def test_grace_ended_refuses_new_members_and_says_existing_data_is_kept(workspace, stripe_api):
    past_due(workspace, stripe_api)
    MembershipFactory.create_batch(3, workspace=workspace)  # 4 members: fine on Pro (5)
    BillingState.objects.filter(workspace=workspace).update(grace_ends_at=timezone.now() - timedelta(seconds=1))
    with transaction.atomic(), pytest.raises(PlanLimitExceeded) as refused:
        enforce_limit(workspace=workspace, limit="members")
    assert refused.value.details == {
        "limit": 2,
        "usage": 4,
        "plan": "free",
        "limit_name": "members",
        "applies_to": "new_actions_only",
        "subscribed_plan": "pro",
    }
    assert workspace.memberships.count() == 4  # nobody was removed


def test_a_repeated_past_due_does_not_restart_the_grace_period(workspace, stripe_api):
    first = past_due(workspace, stripe_api).grace_ends_at
    assert past_due(workspace, stripe_api).grace_ends_at == first


def test_paying_again_clears_the_grace_period(workspace, stripe_api):
    past_due(workspace, stripe_api)
    derived = derive([stripe_api.subscribe("cus_x", "pro", "monthly")])
    apply_state(workspace=workspace, derived=derived, customer_id=None, source="test")
    state = BillingState.objects.get(workspace=workspace)
    assert (state.status, state.grace_ends_at) == ("active", None)


def test_every_change_is_an_activity_event_and_a_repeat_records_nothing(workspace, stripe_api):
    derived = derive([stripe_api.subscribe("cus_x", "pro", "monthly")])
    assert apply_state(workspace=workspace, derived=derived, customer_id=None, source="test")
    assert apply_state(workspace=workspace, derived=derived, customer_id=None, source="test") == {}
    events = ActivityEvent.objects.filter(workspace=workspace, verb__startswith="billing.")
    assert sorted((e.verb, e.metadata["from"], e.metadata["to"]) for e in events) == [
        ("billing.plan_changed", "free", "pro"),
        ("billing.status_changed", "none", "active"),
    ]
