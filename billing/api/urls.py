from django.urls import path

from billing.api import views

# Mounted at /api/workspaces/<uuid:workspace_id>/billing/ by workspaces.api.urls.
urlpatterns = [
    path("usage", views.UsageView.as_view(), name="billing-usage"),
]
