import pytest
from django.db import transaction

from billing.models import BillingState
from billing.plans import enforce_limit, plan_for
from workspaces.models import ActivityEvent

pytestmark = pytest.mark.django_db


def checkout_url(workspace):
    return f"/api/workspaces/{workspace.pk}/billing/checkout/"


def subscribe(owner, workspace, stripe_api, deliver, plan="pro", cycle="monthly"):
    response = owner.post(checkout_url(workspace), {"plan": plan, "cycle": cycle}, format="json")
    assert response.status_code == 201, response.content
    session_id = response.json()["url"].rsplit("/", 1)[1]
    session = stripe_api.store["checkout.session"][session_id]
    subscription = stripe_api.subscribe(session["customer"], plan, cycle)
    completed = stripe_api.complete_checkout(session_id, subscription)
    assert deliver(stripe_api.event("checkout.session.completed", completed)).status_code == 200
    return subscription


def test_checkout_then_webhook_makes_the_workspace_pro(member, workspace, stripe_api, deliver):
    owner = member("owner")
    subscribe(owner, workspace, stripe_api, deliver)
    workspace.refresh_from_db()
    assert workspace.plan == "pro"
    assert plan_for(workspace)["members"] == 5
    state = BillingState.objects.get(workspace=workspace)
    assert (state.status, state.cycle) == ("active", "monthly")
    assert ActivityEvent.objects.filter(workspace=workspace, verb="billing.plan_changed").count() == 1
    with transaction.atomic():
        enforce_limit(workspace=workspace, limit="members", adding=3)
