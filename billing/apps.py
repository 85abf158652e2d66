from django.apps import AppConfig
from django.core import checks


class BillingConfig(AppConfig):
    name = "billing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from billing import webhooks  # noqa: F401  (connects the dj-stripe signal receivers)
        from billing.checks import check_usage_counters

        checks.register(check_usage_counters, "billing")
