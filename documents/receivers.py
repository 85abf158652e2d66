"""Bytes follow their row: however a Document row goes (the API's delete, the admin, a cascade from its
workspace), its objects are removed from storage once the deletion commits."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from documents.models import Document


@receiver(post_delete, sender=Document, dispatch_uid="documents.remove_blobs_of_deleted_document")
def remove_blobs_of_deleted_document(sender, instance: Document, **kwargs) -> None:
    from documents.services import discard

    keys = (instance.storage_key, instance.upload_key)
    transaction.on_commit(lambda: discard(*keys), using=kwargs.get("using"))
