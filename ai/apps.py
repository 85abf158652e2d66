import sys

from django.apps import AppConfig


class AiConfig(AppConfig):
    name = "ai"
    verbose_name = "AI"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        if "qcluster" in sys.argv:  # django-q forks its workers after this: they inherit the imported SDKs
            from ai import providers

            providers.preload()
