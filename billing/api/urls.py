"""Mounted at /api/ by orbit.urls: a workspace's plan, usage and payments."""

from django.urls import path

from billing.api import views

WS = "workspaces/<uuid:workspace_id>/"

urlpatterns = [
    path(f"{WS}billing/usage/", views.UsageView.as_view(), name="billing-usage"),
    path(f"{WS}billing/checkout/", views.CheckoutView.as_view(), name="billing-checkout"),
    path(f"{WS}billing/portal/", views.PortalView.as_view(), name="billing-portal"),
    path(f"{WS}billing/subscription/", views.SubscriptionView.as_view(), name="billing-subscription"),
    path(f"{WS}billing/invoices/", views.InvoiceListView.as_view(), name="billing-invoices"),
]
