from django.apps import AppConfig


class TemplatesConfig(AppConfig):
    """Scope templates. The label avoids a clash with Django's notion of "templates"."""

    name = "templates"
    label = "scope_templates"
    default_auto_field = "django.db.models.BigAutoField"
