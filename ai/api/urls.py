from django.urls import path

from ai.api import views

app_name = "ai"

requests = views.AIRequestViewSet
runs = views.AIRunViewSet

urlpatterns = [
    path("extract/", requests.as_view({"post": "extract"}), name="ai-extract"),
    path("suggest/", requests.as_view({"post": "suggest"}), name="ai-suggest"),
    path("analyze/", requests.as_view({"post": "analyze"}), name="ai-analyze"),
    path("runs/", runs.as_view({"get": "list"}), name="ai-run-list"),
    path("runs/<uuid:pk>/", runs.as_view({"get": "retrieve"}), name="ai-run-detail"),
]
