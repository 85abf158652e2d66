"""Mounted at /api/ by orbit.urls: a workspace's AI requests (extract, suggest, analyze) and their runs."""

from django.urls import path

from ai.api import views

app_name = "ai"

WS = "workspaces/<uuid:workspace_id>/ai/"

requests = views.AIRequestViewSet
runs = views.AIRunViewSet

urlpatterns = [
    path(f"{WS}extract/", requests.as_view({"post": "extract"}), name="ai-extract"),
    path(f"{WS}suggest/", requests.as_view({"post": "suggest"}), name="ai-suggest"),
    path(f"{WS}analyze/", requests.as_view({"post": "analyze"}), name="ai-analyze"),
    path(f"{WS}runs/", runs.as_view({"get": "list"}), name="ai-run-list"),
    path(f"{WS}runs/<uuid:id>/", runs.as_view({"get": "retrieve"}), name="ai-run-detail"),
]
