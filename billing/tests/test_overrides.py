"""Staff override a workspace's plan in the admin, with a reason: audited, in force whatever Stripe says (webhooks
and billing_sync keep following status and period, not the plan), and cleared back to the subscription's plan."""

from datetime import timedelta

import pytest
from django.utils import timezone

from billing.models import BillingState
from billing.plans import plan_for
from billing.state import Derived, apply_state
from workspaces.models import ActivityEvent

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/billing/planoverride/add/"


def _override(staff_client, workspace, plan="team", reason="Enterprise pilot agreed by sales (ticket 4411)"):
    return staff_client.post(
        ADD_URL, {"workspace": str(workspace.pk), "plan_override": plan, "plan_override_reason": reason}
    )


def test_staff_override_the_plan_with_a_reason_and_it_is_audited(staff_client, workspace):
    response = _override(staff_client, workspace)
    assert response.status_code == 302, response.content[:2000]
    workspace.refresh_from_db()
    assert workspace.plan == "team"
    assert plan_for(workspace)["code"] == "team"
    state = BillingState.objects.get(workspace=workspace)
    assert (state.plan_override, state.subscribed_plan) == ("team", "free")
    assert state.plan_override_by is not None
    event = ActivityEvent.objects.get(workspace=workspace, verb="billing.plan_changed")
    assert event.metadata == {
        "source": "staff_override",
        "from": "free",
        "to": "team",
        "reason": "Enterprise pilot agreed by sales (ticket 4411)",
    }


@pytest.mark.parametrize(("plan", "reason"), [("team", ""), ("team", "   "), ("platinum", "why not")])
def test_an_override_needs_a_known_plan_and_a_reason(staff_client, workspace, plan, reason):
    response = _override(staff_client, workspace, plan=plan, reason=reason)
    assert response.status_code == 200  # the form again, with its error
    assert response.context["adminform"].form.errors
    workspace.refresh_from_db()
    assert workspace.plan == "free"
    assert not BillingState.objects.filter(workspace=workspace).exists()
    assert not ActivityEvent.objects.filter(workspace=workspace).exists()


def test_stripe_events_and_sync_leave_an_overridden_plan_alone(staff_client, workspace):
    _override(staff_client, workspace)
    diff = apply_state(
        workspace=workspace, derived=Derived(plan="pro", status="past_due"), customer_id=None, source="webhook"
    )
    assert "plan" not in diff
    workspace.refresh_from_db()
    state = BillingState.objects.get(workspace=workspace)
    assert (workspace.plan, state.status, state.subscribed_plan) == ("team", "past_due", "pro")
    # Past due with the grace over would mean Free limits; the override holds.
    BillingState.objects.filter(pk=state.pk).update(grace_ends_at=timezone.now() - timedelta(days=1))
    assert plan_for(workspace)["code"] == "team"
    # A repeat of the same state is a no-op for the plan (billing_sync would report nothing to repair).
    again = apply_state(
        workspace=workspace, derived=Derived(plan="pro", status="past_due"), customer_id=None, source="sync"
    )
    assert again == {}


def test_clearing_the_override_brings_back_the_subscriptions_plan(staff_client, workspace):
    _override(staff_client, workspace)
    apply_state(workspace=workspace, derived=Derived(plan="pro", status="active"), customer_id=None, source="webhook")
    response = staff_client.post(
        f"/admin/billing/planoverride/{workspace.pk}/change/", {"plan_override": "", "plan_override_reason": ""}
    )
    assert response.status_code == 302, response.content[:2000]
    workspace.refresh_from_db()
    state = BillingState.objects.get(workspace=workspace)
    assert (workspace.plan, state.plan_override, state.plan_override_by) == ("pro", "", None)
    cleared = ActivityEvent.objects.filter(workspace=workspace, metadata__source="staff_override_cleared").get()
    assert (cleared.metadata["from"], cleared.metadata["to"]) == ("team", "pro")


def test_the_override_list_filters_overridden_workspaces(staff_client, workspace, other_workspace):
    _override(staff_client, workspace)
    BillingState.objects.create(workspace=other_workspace)
    page = staff_client.get("/admin/billing/planoverride/?plan_override__isempty=0").content.decode()
    assert workspace.name in page
    assert other_workspace.name not in page


def test_non_staff_cannot_override(client, user, workspace):
    client.force_login(user)
    response = _override(client, workspace)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    workspace.refresh_from_db()
    assert workspace.plan == "free"
