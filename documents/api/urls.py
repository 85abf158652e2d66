"""Mounted at /api/ by orbit.urls: a workspace's documents."""

from django.urls import path

from documents.api import views

app_name = "documents"

documents = views.DocumentViewSet

WS = "workspaces/<uuid:workspace_id>/"

urlpatterns = [
    path(f"{WS}documents/", documents.as_view({"get": "list", "post": "create"}), name="document-list"),
    path(
        f"{WS}documents/<uuid:id>/",
        documents.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="document-detail",
    ),
    path(f"{WS}documents/<uuid:id>/confirm/", documents.as_view({"post": "confirm"}), name="document-confirm"),
    path(f"{WS}documents/<uuid:id>/upload-url/", documents.as_view({"post": "upload_url"}), name="document-upload-url"),
    path(f"{WS}documents/<uuid:id>/reprocess/", documents.as_view({"post": "reprocess"}), name="document-reprocess"),
    path(f"{WS}documents/<uuid:id>/download/", documents.as_view({"get": "download"}), name="document-download"),
    path(f"{WS}documents/<uuid:id>/text/", documents.as_view({"get": "text"}), name="document-text"),
    path(f"{WS}documents/<uuid:id>/pages/", views.DocumentPageViewSet.as_view({"get": "list"}), name="document-pages"),
]
