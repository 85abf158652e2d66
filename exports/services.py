"""Asking for exports: validation, the content-hash cache, the plan limit, queueing and retries."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from billing.plans import enforce_limit
from exports import content
from exports.models import Export
from orbit import worker
from orbit.errors import Conflict, NotFound, ValidationFailed
from scopes.models import Scope
from workspaces import activity
from workspaces.models import ActivityEvent


def clean_request(data) -> tuple[str, dict]:
    """(format, options) from a request body; unknown fields, formats and options are a 400 naming them."""
    if not isinstance(data, dict):
        raise ValidationFailed(
            "Send a JSON object {format, options}.", details={"non_field_errors": ["Not an object."]}
        )
    unknown = sorted(set(data) - {"format", "options"})
    if unknown:
        raise ValidationFailed("Unknown fields.", details={field: ["Unknown field."] for field in unknown})
    fmt = data.get("format")
    if fmt not in Export.Format.values:
        raise ValidationFailed(
            f"`format` must be one of: {', '.join(Export.Format.values)}.",
            details={"format": [f"Choose one of: {', '.join(Export.Format.values)}."]},
        )
    options = data.get("options") or {}
    if not isinstance(options, dict):
        raise ValidationFailed("`options` must be an object.", details={"options": ["Must be an object."]})
    bad = sorted(str(key) for key in options if key not in content.OPTIONS)
    if bad:
        raise ValidationFailed(
            f"Unknown option(s): {', '.join(bad)}.",
            details={"options": [f"Unknown option {key!r}; known: {', '.join(content.OPTIONS)}." for key in bad]},
        )
    not_bool = sorted(key for key, value in options.items() if not isinstance(value, bool))
    if not_bool:
        raise ValidationFailed(
            "Options are true or false.", details={"options": [f"{key!r} must be true or false." for key in not_bool]}
        )
    # Normalised: every option present, so {} and {"include_comments": false} hash alike.
    return fmt, {key: bool(options.get(key, False)) for key in content.OPTIONS}


def get_live_scope(*, workspace, scope_id) -> Scope:
    scope = Scope.objects.filter(workspace=workspace, pk=scope_id).select_related("workspace", "project").first()
    if scope is None:
        raise NotFound()
    if scope.deleted_at is not None:
        raise Conflict("The scope is in the trash; restore it before exporting.", details={"scope_id": str(scope.id)})
    return scope


PIPELINE = worker.Pipeline(
    model=Export,
    task="exports.tasks.generate_export",
    settings_prefix="EXPORT",
    gave_up="The export did not finish after several attempts; the scope may be too large. Retry it.",
    run="run",
)


def record_event(export: Export, verb: ActivityEvent.Verb, *, actor, **metadata) -> None:
    """An export's activity event. Each names the scope and the format, so the feed still reads after the export's
    file and row are gone (retention)."""
    activity.record(
        actor=actor,
        verb=verb,
        target=export,
        metadata={"scope_id": str(export.scope_id), "format": export.format, **metadata},
    )


def request_export(*, workspace, scope_id, actor, data) -> tuple[Export, bool]:
    """Returns (export, cached). A succeeded export with the same content hash is returned as it is, uncounted."""
    scope = get_live_scope(workspace=workspace, scope_id=scope_id)  # before the body: a foreign id is a 404
    fmt, options = clean_request(data)
    branding = content.branding_for(workspace)
    digest = content.content_hash(content.snapshot(scope, options=options, branding=branding, fmt=fmt))
    with transaction.atomic():
        cached = (
            Export.objects.filter(scope=scope, content_hash=digest, status=Export.Status.SUCCEEDED)
            .order_by("-created_at")
            .first()
        )
        if cached is not None:
            return cached, True
        # Same content already on its way: hand back that export rather than building it twice.
        pending = (
            Export.objects.filter(
                scope=scope, content_hash=digest, status__in=[Export.Status.QUEUED, Export.Status.RUNNING]
            )
            .order_by("-created_at")
            .first()
        )
        if pending is not None:
            return pending, True
        enforce_limit(workspace=workspace, limit="exports_per_month")
        export = Export.objects.create(
            workspace=workspace,
            scope=scope,
            format=fmt,
            options=options,
            content_hash=digest,
            branding=branding,
            requested_by=actor,
        )
        record_event(
            export, ActivityEvent.Verb.EXPORT_REQUESTED, actor=actor, options=options, branding=branding["plan"]
        )
        PIPELINE.enqueue(export.id)
    return export, False


def retry_export(*, export: Export, actor) -> Export:
    """A failed export runs again (a new run; not counted again). Anything else is a 409."""
    get_live_scope(workspace=export.workspace, scope_id=export.scope_id)
    with transaction.atomic():
        changed = Export.objects.filter(pk=export.pk, status=Export.Status.FAILED).update(
            status=Export.Status.QUEUED,
            run=export.run + 1,
            attempts=0,
            error="",
            claimed_at=None,
            updated_at=timezone.now(),
        )
        if not changed:
            raise Conflict("Only a failed export can be retried.", details={"status": export.status})
        activity.record(actor=actor, verb=ActivityEvent.Verb.EXPORT_RETRIED, target=export)
        PIPELINE.enqueue(export.id)
    export.refresh_from_db()
    return export


def requeue_stale(*, now, dry_run: bool = False) -> int:
    """Queued exports nobody picked up, and running ones whose worker died, go back on the queue."""
    return PIPELINE.requeue_stale(now=now, dry_run=dry_run)


def remove_expired(*, now, dry_run: bool = False) -> int:
    """Exports older than EXPORT_RETENTION_DAYS go, row and file (the file once the deletion commits)."""
    expired = Export.objects.filter(created_at__lt=now - timedelta(days=settings.EXPORT_RETENTION_DAYS))
    if dry_run:
        return expired.count()
    deleted, _ = expired.delete()
    return deleted


def remove_unreferenced_files(*, now, dry_run: bool = False) -> int:
    """Failed exports may have left a file behind (stored, then the final write lost its claim): removed."""
    from exports import storage

    leftovers = Export.objects.filter(status=Export.Status.FAILED).exclude(file_key="")
    if dry_run:
        return leftovers.count()
    removed = 0
    for export in leftovers:
        try:
            storage.delete(export.file_key)
        except storage.BlobUnavailable:
            continue
        Export.objects.filter(pk=export.pk, file_key=export.file_key).update(file_key="", size_bytes=None)
        removed += 1
    return removed
