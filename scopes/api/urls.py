"""Mounted at /api/workspaces/<uuid:workspace_id>/."""

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

urlpatterns = [
    path("", include(router.urls)),
    path("scopes/<uuid:scope_pk>/", include(scope_router.urls)),
]
