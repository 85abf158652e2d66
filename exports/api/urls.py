"""Mounted at /api/ by orbit.urls: a scope's exports, and each export by id."""

from django.urls import path

from exports.api import views

app_name = "exports"

WS = "workspaces/<uuid:workspace_id>/"

urlpatterns = [
    path(
        f"{WS}scopes/<uuid:scope_id>/exports/",
        views.ScopeExportViewSet.as_view({"get": "list", "post": "create"}),
        name="scope-export-list",
    ),
    path(f"{WS}exports/<uuid:id>/", views.ExportViewSet.as_view({"get": "retrieve"}), name="export-detail"),
    path(f"{WS}exports/<uuid:id>/retry/", views.ExportViewSet.as_view({"post": "retry"}), name="export-retry"),
]
