from django.apps import AppConfig


class ScopesConfig(AppConfig):
    name = "scopes"
    default_auto_field = "django.db.models.BigAutoField"
