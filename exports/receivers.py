"""Files follow their row: however an Export goes (retention, the scope purged, the workspace deleted), its file
is removed from storage once the deletion commits."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from exports.models import Export


def _remove(key: str) -> None:
    from exports import storage

    try:
        storage.delete(key)
    except storage.BlobUnavailable:
        pass  # left for remove_unreferenced_files? no row remains: logged by the store; rare and harmless


@receiver(post_delete, sender=Export, dispatch_uid="exports.remove_file_of_deleted_export")
def remove_file_of_deleted_export(sender, instance: Export, **kwargs) -> None:
    if instance.file_key:
        key = instance.file_key
        transaction.on_commit(lambda: _remove(key), using=kwargs.get("using"))
