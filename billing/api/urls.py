from django.urls import path

from billing.api import views

# Mounted at /api/workspaces/<uuid:workspace_id>/billing/.
urlpatterns = [
    path("usage", views.UsageView.as_view(), name="billing-usage"),
    path("checkout/", views.CheckoutView.as_view(), name="billing-checkout"),
    path("portal/", views.PortalView.as_view(), name="billing-portal"),
    path("subscription/", views.SubscriptionView.as_view(), name="billing-subscription"),
    path("invoices/", views.InvoiceListView.as_view(), name="billing-invoices"),
]
