from django.apps import AppConfig


class OrbitConfig(AppConfig):
    """Shared API plumbing: errors, pagination, request ids, health, observability, and the cache table migration."""

    name = "orbit"
    verbose_name = "Orbit platform"

    def ready(self):
        from orbit import metrics, observability

        observability.configure()
        if metrics.enabled():
            metrics.connect_task_metrics()
