"""`manage.py billing_sync [--dry-run]` heals what a missed webhook left wrong; the daily schedule."""

from io import StringIO

import pytest
from django.core.management import call_command
from djstripe.models import Subscription

from billing.models import BillingState
from billing.tests.test_webhooks import snapshot, subscribe
from workspaces.models import ActivityEvent

pytestmark = pytest.mark.django_db


def sync(*args) -> str:
    out = StringIO()
    call_command("billing_sync", *args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def missed_upgrade(member, workspace, stripe_api, deliver):
    """Pro through checkout; then the customer moves to Team in the portal and that webhook never arrives."""
    subscription = subscribe(member("owner"), workspace, stripe_api, deliver)
    return stripe_api.change_plan(subscription["id"], "team", "monthly")


def test_billing_sync_repairs_a_workspace_whose_webhook_was_missed(workspace, stripe_api, missed_upgrade):
    output = sync()
    assert f"repaired {workspace.pk}" in output
    assert "plan: pro -> team" in output
    workspace.refresh_from_db()
    assert workspace.plan == "team"
    mirrored = Subscription.objects.get(id=missed_upgrade["id"]).stripe_data
    assert mirrored["items"]["data"][0]["price"]["lookup_key"] == "orbit_team_monthly"
    change = ActivityEvent.objects.filter(workspace=workspace, verb="billing.plan_changed").order_by("-created_at")[0]
    assert (change.metadata["from"], change.metadata["to"], change.metadata["source"]) == (
        "pro",
        "team",
        "billing_sync",
    )


def test_a_second_run_finds_nothing_to_repair(workspace, stripe_api, missed_upgrade):
    sync()
    before = snapshot(workspace)
    assert "1 customers checked, 0 repaired, 0 failed" in sync()
    assert snapshot(workspace) == before


def test_dry_run_prints_the_repair_and_writes_nothing(workspace, stripe_api, missed_upgrade):
    before = snapshot(workspace)
    mirror_before = Subscription.objects.get(id=missed_upgrade["id"]).stripe_data
    output = sync("--dry-run")
    assert f"would repair {workspace.pk}" in output
    assert "plan: pro -> team" in output
    assert "dry run: nothing written" in output
    assert snapshot(workspace) == before
    assert Subscription.objects.get(id=missed_upgrade["id"]).stripe_data == mirror_before


def test_a_canceled_subscription_missed_by_webhooks_goes_free(workspace, stripe_api, missed_upgrade):
    stripe_api.update_subscription(missed_upgrade["id"], status="canceled")
    sync()
    workspace.refresh_from_db()
    assert (workspace.plan, BillingState.objects.get(workspace=workspace).status) == ("free", "canceled")


def test_stripe_down_is_reported_and_nothing_changes(workspace, stripe_api, missed_upgrade):
    stripe_api.down = True
    before = snapshot(workspace)
    output = sync()
    assert "failed cus_" in output
    assert "failed (customer list)" in output
    assert "2 failed" in output
    assert snapshot(workspace) == before


def test_a_staff_granted_plan_without_customer_is_left_alone(workspace, other_workspace, stripe_api):
    other_workspace.plan = "team"
    other_workspace.save()
    output = sync()
    assert f"left alone {other_workspace.pk}" in output
    other_workspace.refresh_from_db()
    assert other_workspace.plan == "team"
    assert [(method, path) for method, path, _ in stripe_api.calls] == [("GET", "/v1/customers")]


def test_the_scheduled_task_runs_the_sync(workspace, stripe_api, missed_upgrade):
    from billing.tasks import sync_billing

    assert sync_billing() == {"checked": 1, "repaired": 1, "failed": 0}
    workspace.refresh_from_db()
    assert workspace.plan == "team"


def test_a_customer_missing_here_is_linked_back_from_stripe(workspace, stripe_api, missed_upgrade):
    """The database was restored from before the checkout: Stripe still has the customer naming the workspace."""
    from djstripe.models import Customer

    customer_id = missed_upgrade["customer"]
    Customer.objects.filter(id=customer_id).delete()  # its mirrored subscriptions go with it
    dry = sync("--dry-run")
    assert f"customer: None -> {customer_id}" in dry
    assert not Customer.objects.filter(id=customer_id).exists()
    output = sync()
    assert f"repaired {workspace.pk}" in output
    assert Customer.objects.get(id=customer_id).subscriber == workspace
    workspace.refresh_from_db()
    assert workspace.plan == "team"
    assert BillingState.objects.get(workspace=workspace).customer_id == customer_id


def test_a_stray_second_customer_does_not_flip_the_plan(workspace, stripe_api, missed_upgrade):
    """A second Stripe customer naming the workspace (no subscription) is linked, and the plan is decided from
    the subscriptions of all the workspace's customers, so it stays what the running subscription pays for."""
    from djstripe.models import Customer

    stray = stripe_api.create_customer({"email": "x@example.com", "metadata[djstripe_subscriber]": str(workspace.pk)})
    sync()
    assert Customer.objects.get(id=stray["id"]).subscriber == workspace
    workspace.refresh_from_db()
    assert workspace.plan == "team"
    assert "0 repaired" in sync()
    workspace.refresh_from_db()
    assert workspace.plan == "team"
