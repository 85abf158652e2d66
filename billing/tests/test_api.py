"""The billing endpoints under /api/workspaces/{workspace_id}/billing/, against the stand-in Stripe."""

from urllib.parse import parse_qs, urlparse

import pytest
from djstripe.models import Customer, Invoice

from billing.models import BillingState
from billing.tests.test_webhooks import subscribe

pytestmark = pytest.mark.django_db


def url(workspace, action):
    return f"/api/workspaces/{workspace.pk}/billing/{action}/"


def error(response):
    return response.status_code, response.json()["error"]["code"]


@pytest.fixture
def owner(member):
    return member("owner")


class TestCheckout:
    def test_creates_a_subscription_session_for_the_workspace(self, settings, owner, workspace, stripe_api):
        response = owner.post(url(workspace, "checkout"), {"plan": "team", "cycle": "yearly"}, format="json")
        assert response.status_code == 201
        assert response.json()["url"].startswith("https://checkout.stripe.test/c/pay/cs_test_")
        [(_, _, params)] = stripe_api.calls_to("POST", "/v1/checkout/sessions")
        customer = Customer.objects.get(subscriber=workspace)
        assert params["mode"] == "subscription"
        assert params["customer"] == customer.id
        assert params["client_reference_id"] == str(workspace.pk)
        assert params["metadata[workspace_id]"] == str(workspace.pk)
        assert params["subscription_data[metadata][workspace_id]"] == str(workspace.pk)
        assert params["line_items[0][price]"] == "price_team_yearly"
        for key in ("success_url", "cancel_url"):
            target = urlparse(params[key])
            assert f"{target.scheme}://{target.netloc}" == settings.FRONTEND_URL
            assert parse_qs(target.query)["workspace_id"] == [str(workspace.pk)]
        assert "{CHECKOUT_SESSION_ID}" in params["success_url"]
        price_lookup = stripe_api.calls_to("GET", "/v1/prices")[0][2]
        assert price_lookup["lookup_keys[0]"] == "orbit_team_yearly"

    def test_the_customer_is_created_once_and_reused(self, owner, workspace, stripe_api):
        for plan in ("pro", "team"):
            assert owner.post(url(workspace, "checkout"), {"plan": plan}, format="json").status_code == 201
        assert len(stripe_api.calls_to("POST", "/v1/customers")) == 1
        [(_, _, created)] = stripe_api.calls_to("POST", "/v1/customers")
        assert created["metadata[djstripe_subscriber]"] == str(workspace.pk)
        assert created["email"] == workspace.owner.email
        assert Customer.objects.filter(subscriber=workspace).count() == 1

    def test_the_same_plan_again_hands_out_the_open_session(self, owner, workspace, stripe_api):
        first = owner.post(url(workspace, "checkout"), {"plan": "pro"}, format="json").json()["url"]
        again = owner.post(url(workspace, "checkout"), {"plan": "pro"}, format="json").json()["url"]
        assert again == first
        assert len(stripe_api.calls_to("POST", "/v1/checkout/sessions")) == 1

    def test_another_plan_expires_the_open_session_first(self, owner, workspace, stripe_api):
        first = owner.post(url(workspace, "checkout"), {"plan": "pro"}, format="json").json()["url"]
        second = owner.post(url(workspace, "checkout"), {"plan": "team"}, format="json").json()["url"]
        assert second != first
        sessions = stripe_api.store["checkout.session"]
        assert [s["status"] for s in sessions.values()] == ["expired", "open"]  # never two payable sessions
        assert stripe_api.calls_to("POST", f"/v1/checkout/sessions/{first.rsplit('/', 1)[1]}/expire")

    def test_a_paid_checkout_whose_webhook_is_on_its_way_is_a_409(self, owner, workspace, stripe_api):
        session_url = owner.post(url(workspace, "checkout"), {"plan": "pro"}, format="json").json()["url"]
        session_id = session_url.rsplit("/", 1)[1]
        customer = stripe_api.store["checkout.session"][session_id]["customer"]
        stripe_api.complete_checkout(session_id, stripe_api.subscribe(customer))
        response = owner.post(url(workspace, "checkout"), {"plan": "team"}, format="json")
        assert error(response) == (409, "conflict")
        assert response.json()["error"]["details"]["subscription"] == url(workspace, "subscription")
        assert len(stripe_api.calls_to("POST", "/v1/checkout/sessions")) == 1

    def test_after_a_canceled_subscription_a_new_checkout_starts(self, owner, workspace, stripe_api, deliver):
        subscription = subscribe(owner, workspace, stripe_api, deliver)
        ended = stripe_api.update_subscription(subscription["id"], status="canceled")
        assert deliver(stripe_api.event("customer.subscription.deleted", ended)).status_code == 200
        response = owner.post(url(workspace, "checkout"), {"plan": "team"}, format="json")
        assert response.status_code == 201
        assert len(stripe_api.calls_to("POST", "/v1/checkout/sessions")) == 2

    def test_a_subscribed_workspace_is_sent_to_the_portal(self, owner, workspace, stripe_api, deliver):
        subscribe(owner, workspace, stripe_api, deliver)
        sessions = len(stripe_api.calls_to("POST", "/v1/checkout/sessions"))
        response = owner.post(url(workspace, "checkout"), {"plan": "team"}, format="json")
        assert error(response) == (409, "conflict")
        assert response.json()["error"]["details"]["portal"] == url(workspace, "portal")
        assert len(stripe_api.calls_to("POST", "/v1/checkout/sessions")) == sessions

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"plan": "free"}, "plan"),
            ({"plan": "platinum"}, "plan"),
            ({}, "plan"),
            ({"plan": "pro", "cycle": "weekly"}, "cycle"),
        ],
    )
    def test_bad_input_is_a_400_naming_the_field(self, body, field, owner, workspace, stripe_api):
        response = owner.post(url(workspace, "checkout"), body, format="json")
        assert error(response) == (400, "validation_error")
        assert field in response.json()["error"]["details"]
        assert stripe_api.calls == []
        assert not Customer.objects.exists()

    def test_stripe_down_is_a_503_and_leaves_no_customer(self, owner, workspace, stripe_api):
        stripe_api.down = True
        assert error(owner.post(url(workspace, "checkout"), {"plan": "pro"}, format="json")) == (
            503,
            "service_unavailable",
        )
        assert not Customer.objects.exists()

    def test_without_a_stripe_key_billing_is_off(self, settings, owner, workspace):
        settings.STRIPE_TEST_SECRET_KEY = ""
        response = owner.post(url(workspace, "checkout"), {"plan": "pro"}, format="json")
        assert error(response) == (503, "service_unavailable")


class TestPortal:
    def test_opens_a_portal_session_for_the_workspace_customer(self, settings, owner, workspace, stripe_api, deliver):
        subscribe(owner, workspace, stripe_api, deliver)
        response = owner.post(url(workspace, "portal"))
        assert response.status_code == 201
        assert response.json()["url"].startswith("https://billing.stripe.test/p/session/")
        [(_, _, params)] = stripe_api.calls_to("POST", "/v1/billing_portal/sessions")
        assert params["customer"] == Customer.objects.get(subscriber=workspace).id
        assert params["return_url"].startswith(settings.FRONTEND_URL + settings.BILLING_RETURN_PATH)

    def test_without_a_customer_it_points_to_checkout(self, owner, workspace, stripe_api):
        response = owner.post(url(workspace, "portal"))
        assert error(response) == (409, "conflict")
        assert response.json()["error"]["details"]["checkout"] == url(workspace, "checkout")
        assert stripe_api.calls == []


class TestSubscription:
    def test_a_free_workspace(self, owner, workspace):
        body = owner.get(url(workspace, "subscription")).json()
        assert (body["plan"], body["subscribed_plan"], body["status"], body["cycle"]) == ("free", "free", "none", None)
        assert body["usage"]["members"] == {"limit": 2, "usage": 1}
        assert body["grace_ends_at"] is None

    def test_a_subscribed_workspace(self, owner, workspace, stripe_api, deliver):
        subscription = subscribe(owner, workspace, stripe_api, deliver, "team", "yearly")
        body = owner.get(url(workspace, "subscription")).json()
        assert (body["plan"], body["plan_name"], body["status"], body["cycle"]) == ("team", "Team", "active", "yearly")
        assert body["cancel_at_period_end"] is False
        assert body["current_period_end"].startswith(
            BillingState.objects.get(workspace=workspace).current_period_end.strftime("%Y-%m-%d")
        )
        assert subscription["current_period_end"]
        assert body["usage"]["members"]["limit"] == 25


class TestInvoices:
    def test_lists_the_workspaces_invoices_newest_first_in_cursor_pages(
        self, owner, workspace, other_workspace, stripe_api, deliver
    ):
        subscription = subscribe(owner, workspace, stripe_api, deliver)
        for _ in range(3):
            invoice = stripe_api.invoice(subscription)
            assert deliver(stripe_api.event("invoice.paid", invoice)).status_code == 200
        assert Invoice.objects.count() == 3
        first = owner.get(url(workspace, "invoices") + "?limit=2").json()
        assert len(first["results"]) == 2
        assert first["next"]
        second = owner.get(first["next"]).json()
        rows = first["results"] + second["results"]
        assert len({row["id"] for row in rows}) == 3
        created = [row["created"] for row in rows]
        assert created == sorted(created, reverse=True)
        row = rows[0]
        assert set(row) == {
            "id",
            "number",
            "created",
            "total",
            "currency",
            "status",
            "hosted_invoice_url",
            "invoice_pdf",
        }
        assert (row["status"], row["currency"], row["total"]) == ("paid", "usd", 2000)
        assert row["invoice_pdf"].startswith("https://pay.stripe.com/")
        other_owner = owner.__class__()
        other_owner.force_authenticate(other_workspace.owner)
        assert other_owner.get(url(other_workspace, "invoices")).json()["results"] == []


ROUTES = [("post", "checkout"), ("post", "portal"), ("get", "subscription"), ("get", "invoices")]


@pytest.mark.parametrize(("method", "action"), ROUTES)
@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_owners_and_admins_manage_billing(method, action, role, member, workspace, stripe_api):
    response = getattr(member(role), method)(url(workspace, action), {"plan": "pro"}, format="json")
    assert error(response) == (403, "permission_denied")
    assert stripe_api.calls == []
    assert not Customer.objects.exists()
    assert not BillingState.objects.exists()


@pytest.mark.parametrize(("method", "action"), ROUTES)
@pytest.mark.parametrize("role", ["owner", "admin"])
def test_owners_and_admins_may(method, action, role, member, workspace, stripe_api):
    client = member(role)
    if action == "portal":
        client.post(url(workspace, "checkout"), {"plan": "pro"}, format="json")  # creates the customer
    response = getattr(client, method)(url(workspace, action), {"plan": "pro"}, format="json")
    assert response.status_code == (201 if method == "post" else 200), response.content  # a session is created


@pytest.mark.parametrize(("method", "action"), ROUTES)
def test_non_members_get_404(method, action, member, other_workspace, stripe_api):
    response = getattr(member("owner"), method)(url(other_workspace, action), {"plan": "pro"}, format="json")
    assert error(response) == (404, "not_found")
    assert stripe_api.calls == []


class TestOnboarding:
    BASE = "/api/onboarding"

    def test_a_paid_plan_intent_answers_a_checkout_url(self, auth_client, stripe_api):
        auth_client.post(f"{self.BASE}/workspace/", {"name": "Acme"})
        body = auth_client.post(f"{self.BASE}/plan/", {"plan": "pro", "billing_cycle": "yearly"}).json()
        assert body["checkout_url"].startswith("https://checkout.stripe.test/c/pay/")
        [(_, _, params)] = stripe_api.calls_to("POST", "/v1/checkout/sessions")
        assert params["line_items[0][price]"] == "price_pro_yearly"

    def test_free_needs_no_checkout(self, auth_client, stripe_api):
        auth_client.post(f"{self.BASE}/workspace/", {"name": "Acme"})
        assert auth_client.post(f"{self.BASE}/plan/", {"plan": "free"}).json()["checkout_url"] is None
        assert stripe_api.calls == []

    def test_without_stripe_configured_the_intent_is_kept_and_no_url(self, settings, auth_client):
        settings.STRIPE_TEST_SECRET_KEY = ""
        auth_client.post(f"{self.BASE}/workspace/", {"name": "Acme"})
        body = auth_client.post(f"{self.BASE}/plan/", {"plan": "pro"}).json()
        assert (body["plan_intent"], body["checkout_url"]) == ("pro", None)
