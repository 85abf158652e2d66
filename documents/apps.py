from django.apps import AppConfig


def storage_bytes_used(workspace, since) -> int:
    """Bytes of every document whose file is stored (confirmed and not rejected); `since` does not apply."""
    from django.db.models import Sum

    from documents.models import Document

    return (
        Document.objects.filter(workspace=workspace).with_stored_blob().aggregate(total=Sum("size_bytes"))["total"] or 0
    )


class DocumentsConfig(AppConfig):
    name = "documents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from billing.plans import register_usage

        register_usage("storage_bytes", storage_bytes_used)
        from documents import receivers  # noqa: F401 - connects the post_delete receiver
