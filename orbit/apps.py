from django.apps import AppConfig


class OrbitConfig(AppConfig):
    """Shared API plumbing: errors, pagination, request ids, health, observability, and the cache table migration."""

    name = "orbit"
    verbose_name = "Orbit platform"

    def ready(self):
        from django.db.models.signals import post_migrate

        from orbit import metrics, observability
        from orbit.schedules import sync_schedules

        post_migrate.connect(sync_schedules, sender=self, dispatch_uid="orbit.sync_schedules")

        observability.configure()
        if metrics.enabled():
            metrics.connect_task_metrics()
