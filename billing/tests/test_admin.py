import pytest
from django.urls import reverse

from billing.models import BillingState
from billing.tests.test_webhooks import subscribe
from orbit.testing import assert_error

pytestmark = pytest.mark.django_db


def test_staff_follow_workspace_to_customer_to_subscription(staff_client, member, workspace, stripe_api, deliver):
    subscription = subscribe(member("owner"), workspace, stripe_api, deliver)
    state = BillingState.objects.get(workspace=workspace)
    page = staff_client.get(reverse("admin:workspaces_workspace_change", args=[workspace.pk])).content.decode()
    assert reverse("admin:billing_billingstate_change", args=[workspace.pk]) in page
    page = staff_client.get(reverse("admin:billing_billingstate_change", args=[workspace.pk])).content.decode()
    assert reverse("admin:djstripe_customer_change", args=[state.customer.pk]) in page
    assert reverse("admin:djstripe_subscription_change", args=[state.subscription.pk]) in page
    assert subscription["id"] in page
    listing = staff_client.get(reverse("admin:billing_billingstate_changelist") + "?status=active")
    assert listing.status_code == 200
    assert workspace.name in listing.content.decode()
    assert staff_client.get(reverse("admin:djstripe_customer_change", args=[state.customer.pk])).status_code == 200


def test_billing_state_is_read_only(staff_client, workspace):
    BillingState.objects.create(workspace=workspace)
    assert_error(staff_client.get(reverse("admin:billing_billingstate_add")), 403, "permission_denied")
    response = staff_client.post(
        reverse("admin:billing_billingstate_change", args=[workspace.pk]), {"status": "active"}
    )
    assert_error(response, 403, "permission_denied")
    assert BillingState.objects.get(workspace=workspace).status == "none"
