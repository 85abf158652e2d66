from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "exports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from exports import receivers  # noqa: F401 - connects the post_delete receiver
