"""The export pipeline run by the worker: claim → snapshot → render → store → record, once per run.

The pattern of documents.processing: delivery is at least once, so
- the claim is a conditional UPDATE (queued, or running with a claim older than EXPORT_LEASE);
- the claim is (run, claimed_at); the final write only touches the row while that claim still holds, so a
  worker that lost its lease, or an export retried or deleted meanwhile, writes nothing (and removes its file);
- an export whose worker keeps dying is failed after EXPORT_MAX_ATTEMPTS claims.
The content is read at render time and the hash recomputed from exactly what was drawn.
"""

import structlog
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from exports import content, logo, storage
from exports.models import Export
from exports.render.docx import render_docx
from exports.render.pdf import render_pdf
from exports.services import PIPELINE, record_event
from orbit import worker
from workspaces.models import ActivityEvent

logger = structlog.get_logger(__name__)

RENDERERS = {Export.Format.PDF: render_pdf, Export.Format.DOCX: render_docx}


class ExportFailed(Exception):
    """A readable reason, shown to the user on the failed export."""


def _claim(export_id: str):
    related = Export.objects.select_related("workspace", "scope", "scope__project", "scope__workspace")
    return PIPELINE.claim(export_id, queryset=related)


def _fail(export: Export, claim, message: str) -> bool:
    with transaction.atomic():
        changed = claim.update(
            status=Export.Status.FAILED,
            error=message,
            claimed_at=None,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if changed:
            record_event(export, ActivityEvent.Verb.EXPORT_FAILED, actor=None, run=export.run, error=message)
    return bool(changed)


def _filename(export: Export) -> str:
    title = " ".join(export.scope.title.split())[:120] or "Scope"
    safe = "".join(ch for ch in title if ch.isprintable() and ch not in '/\\:*?"<>|').strip() or "Scope"
    return f"{safe}.{export.format}"


def _render(export: Export) -> tuple[bytes, str]:
    if export.scope.deleted_at is not None:
        raise ExportFailed("The scope was moved to the trash before the export ran; restore it and retry.")
    data = content.snapshot(export.scope, options=export.options, branding=export.branding, fmt=export.format)
    logo_bytes = logo.fetch(export.branding.get("logo_url", "")) if export.branding.get("custom") else None
    document = content.to_document(data, logo=logo_bytes, date=export.created_at)
    return RENDERERS[export.format](document), content.content_hash(data)


def _store(export: Export, claim, data: bytes, digest: str) -> bool:
    key = storage.key_for(export)
    storage.put(key, data, content_type=export.content_type)
    with transaction.atomic():
        if not worker.holds(claim):
            transaction.on_commit(lambda: storage.delete(key))
            return False
        now = timezone.now()
        claim.update(
            status=Export.Status.SUCCEEDED,
            file_key=key,
            filename=_filename(export),
            size_bytes=len(data),
            content_hash=digest,
            error="",
            claimed_at=None,
            finished_at=now,
            updated_at=now,
        )
        record_event(export, ActivityEvent.Verb.EXPORT_SUCCEEDED, actor=None, size_bytes=len(data))
    return True


def _render_and_store(export: Export, claim) -> str:
    try:
        data, digest = _render(export)
        return "succeeded" if _store(export, claim, data, digest) else "skipped"
    except ExportFailed as exc:
        _fail(export, claim, str(exc))
    except storage.BlobUnavailable:
        _fail(export, claim, "Storage was unavailable while saving the file; retry the export.")
    except (OperationalError, InterfaceError):
        raise  # the database, not the export: the claim expires and the export is picked up again
    except Exception:
        logger.exception("export_crashed", export_id=str(export.id))
        _fail(export, claim, "The export could not be generated because of an internal error; retry it.")
    return "failed"


def run(export_id: str) -> str:
    """Build one export. Returns what happened: succeeded, failed or skipped."""
    return PIPELINE.run_claimed(_claim(export_id), _render_and_store, fail=_fail)
