from django.urls import path

from documents.api import views

app_name = "documents"

documents = views.DocumentViewSet

urlpatterns = [
    path("documents/", documents.as_view({"get": "list", "post": "create"}), name="document-list"),
    path(
        "documents/<uuid:pk>/",
        documents.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="document-detail",
    ),
    path("documents/<uuid:pk>/confirm", documents.as_view({"post": "confirm"}), name="document-confirm"),
    path("documents/<uuid:pk>/upload-url", documents.as_view({"post": "upload_url"}), name="document-upload-url"),
    path("documents/<uuid:pk>/reprocess", documents.as_view({"post": "reprocess"}), name="document-reprocess"),
    path("documents/<uuid:pk>/download", documents.as_view({"get": "download"}), name="document-download"),
    path("documents/<uuid:pk>/text", documents.as_view({"get": "text"}), name="document-text"),
    path("documents/<uuid:pk>/pages/", views.DocumentPageViewSet.as_view({"get": "list"}), name="document-pages"),
]
