"""Mounted at /api/ by orbit.urls: projects, scopes and favourites of a workspace; a scope's sections and comments."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from scopes.api.views import CommentViewSet, FavouriteViewSet, ProjectViewSet, ScopeViewSet, SectionViewSet

router = SimpleRouter(use_regex_path=False)
router.register("projects", ProjectViewSet, basename="project")
router.register("scopes", ScopeViewSet, basename="scope")
router.register("favourites", FavouriteViewSet, basename="favourite")

scope_router = SimpleRouter(use_regex_path=False)
scope_router.register("sections", SectionViewSet, basename="scope-section")
scope_router.register("comments", CommentViewSet, basename="scope-comment")

WS = "workspaces/<uuid:workspace_id>/"

urlpatterns = [
    path(WS, include(router.urls)),
    path(f"{WS}scopes/<uuid:scope_id>/", include(scope_router.urls)),
]
