from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


class BillingConfig(AppConfig):
    name = "billing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from billing import webhooks  # noqa: F401  (connects the dj-stripe signal receivers)
        from billing.checks import check_usage_counters
        from billing.schedule import ensure_schedule

        checks.register(check_usage_counters, "billing")
        post_migrate.connect(ensure_schedule, sender=self, dispatch_uid="billing.ensure_schedule")
