"""Worker entry points (django-q2). Thin: the pipeline and its guards live in documents.processing."""

from django.utils import timezone

from documents import processing, services


def process_document(document_id: str) -> str:
    return processing.process(document_id)


def requeue_stale_documents() -> int:
    """Scheduled every few minutes (orbit/schedules.py): picks up work a dead worker left behind."""
    return services.requeue_stale(now=timezone.now())
