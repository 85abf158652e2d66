from django.apps import AppConfig


class ScopesConfig(AppConfig):
    name = "scopes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from billing.plans import register_usage
        from scopes.models import Scope

        def scopes_created(workspace, since):
            # Trashed scopes count too: deleting one does not give the month's allowance back.
            return Scope.objects.filter(workspace=workspace, created_at__gte=since).count()

        register_usage("scopes_per_month", scopes_created)
