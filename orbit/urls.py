from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from accounts import spec as accounts_spec
from orbit import blobviews, http_errors, metrics, views

# Every app's routes live in its own `<app>/api/urls.py`, mounted here one way: at /api/, each app writing its full
# paths (`workspaces/<uuid:workspace_id>/...` for tenant-owned resources). Conventions (README, "API conventions",
# enforced by orbit/tests/test_url_conventions.py): every path ends in "/", the workspace is {workspace_id}, a parent
# is {<kind>_id}, the addressed object is {id}.
PAGE_METHODS = ["get", "head"]
API_APPS = ["accounts", "workspaces", "templates", "scopes", "documents", "billing", "ai", "exports"]

api_patterns = [
    path("health/", views.HealthView.as_view(), name="health"),
    path("ready/", views.ReadyView.as_view(), name="ready"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Pages for browsers: GET only (OPTIONS rendered their HTML template without a template name, a 500).
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema", http_method_names=PAGE_METHODS), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema", http_method_names=PAGE_METHODS), name="redoc"),
    path("blobs/", blobviews.BlobView.as_view(), name="blob"),
    *(path("", include(f"{app}.api.urls")) for app in API_APPS),
]

urlpatterns = [
    path("", views.root, name="root"),
    path("api/", include(api_patterns)),
    # Unknown API paths answer in the error envelope even with DEBUG on.
    re_path(r"^api/", http_errors.not_found),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    # The auth spec with what Orbit's token strategy adds (before allauth's own views of the same paths).
    path("_allauth/openapi.json", accounts_spec.spec_json),
    path("_allauth/openapi.yaml", accounts_spec.spec_yaml),
    path("_allauth/", include("allauth.headless.urls")),
    path("accounts/", include("allauth.urls")),
    path("stripe/", include("djstripe.urls", namespace="djstripe")),
]

handler400 = "orbit.http_errors.bad_request"
handler403 = "orbit.http_errors.permission_denied"
handler404 = "orbit.http_errors.not_found"
handler500 = "orbit.http_errors.server_error"
