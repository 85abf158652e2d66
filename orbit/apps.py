from django.apps import AppConfig


class OrbitConfig(AppConfig):
    """Shared API plumbing: errors, pagination, request ids, health, and the cache table migration."""

    name = "orbit"
    verbose_name = "Orbit platform"
