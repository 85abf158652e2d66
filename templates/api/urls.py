"""Mounted at /api/ by orbit.urls: public templates, and each workspace's templates (its own plus the public ones)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from templates.api.views import PublicTemplateViewSet, WorkspaceTemplateViewSet

public_router = SimpleRouter(use_regex_path=False)
public_router.register("templates", PublicTemplateViewSet, basename="public-template")

workspace_router = SimpleRouter(use_regex_path=False)
workspace_router.register("templates", WorkspaceTemplateViewSet, basename="workspace-template")

urlpatterns = [
    path("", include(public_router.urls)),
    path("workspaces/<uuid:workspace_id>/", include(workspace_router.urls)),
]
