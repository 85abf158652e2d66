from django.apps import AppConfig


def exports_this_month(workspace, since) -> int:
    """Exports asked for since `since` (cached answers create no row, so they never count)."""
    from exports.models import Export

    return Export.objects.filter(workspace=workspace, created_at__gte=since).count()


class ExportsConfig(AppConfig):
    name = "exports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from billing.plans import register_usage

        register_usage("exports_per_month", exports_this_month)
        from exports import receivers  # noqa: F401 - connects the post_delete receiver
