from django.apps import AppConfig


class AiConfig(AppConfig):
    name = "ai"
    verbose_name = "AI"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ai.models import AIRun
        from billing.plans import register_usage

        def ai_calls(workspace, since):
            # Every run asked for this month, except cache hits and runs that never reached a provider.
            return AIRun.objects.counted_since(workspace, since).count()

        register_usage("ai_calls_per_month", ai_calls)
