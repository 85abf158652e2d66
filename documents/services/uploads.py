"""Asking for an upload, renaming and linking a document, and the links that move its bytes."""

import unicodedata
import uuid
from datetime import timedelta

import structlog
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import get_valid_filename

from billing.plans import enforce_limit, plan_for
from documents import file_types
from documents.models import Document
from orbit.blobstore import Link, get_blob_store
from orbit.errors import (
    Conflict,
    NotFound,
    PayloadTooLarge,
    PlanLimitExceeded,
    UnsupportedMediaType,
    ValidationFailed,
    not_in_workspace,
)
from workspaces import activity
from workspaces.activity import Verb

logger = structlog.get_logger(__name__)

ACCEPTED_LABEL = "PDF, DOCX, PNG, JPEG, TIFF, plain text or markdown"


def _key_name(filename: str) -> str:
    """A storage-safe form of the name for the object key: ASCII-ish word characters, dots and dashes only, never
    '.' or '..' (get_valid_filename raises on those and on names with no usable character at all)."""
    try:
        safe = get_valid_filename(filename)[-120:].lstrip(".")
    except SuspiciousFileOperation:
        safe = ""
    return safe or "file"


def _keys(*, workspace_id, document_id, filename: str) -> dict:
    safe = _key_name(filename)
    return {
        "upload_key": f"uploads/{workspace_id}/{document_id}/{safe}",
        "storage_key": f"documents/{workspace_id}/{document_id}/{safe}",
    }


def too_large(*, size: int, plan: dict) -> PayloadTooLarge:
    maximum = plan["max_file_bytes"]
    return PayloadTooLarge(
        f"The file is {size} bytes; the {plan['name']} plan allows files up to {maximum} bytes.",
        details={"limit": maximum, "size": size, "plan": plan["code"], "limit_name": "max_file_bytes"},
    )


def _links(*, workspace, project_id=None, scope_id=None) -> dict:
    """Resolve optional project/scope ids within `workspace`; a scope implies its project."""
    from scopes.models import Project, Scope

    project = scope = None
    if scope_id is not None:
        scope = Scope.objects.alive().filter(workspace=workspace, pk=scope_id).first()
        if scope is None:
            raise not_in_workspace("scope_id", scope_id)
    if project_id is not None:
        project = Project.objects.filter(workspace=workspace, pk=project_id).first()
        if project is None:
            raise not_in_workspace("project_id", project_id)
    if scope is not None and scope.project_id is not None:
        if project is not None and project.id != scope.project_id:
            raise ValidationFailed(
                "The scope belongs to another project.", details={"scope_id": ["The scope belongs to another project."]}
            )
        project = project or scope.project
    return {"project": project, "scope": scope}


def _enforce_storage_with_pending(*, workspace, size: int) -> None:
    """Uploads asked for but not yet confirmed reserve their declared size (a PUT cannot exceed it), so a client
    cannot park unconfirmed bytes past the quota; confirm then counts the real size of each."""
    from workspaces.models import Workspace

    # Lock the workspace row before counting, as enforce_limit does, so racing asks count one after the other.
    Workspace.objects.lock(workspace.pk)
    since = timezone.now() - timedelta(hours=settings.DOCUMENT_PENDING_TTL_HOURS)
    reserved = (
        Document.objects.filter(workspace=workspace, status=Document.Status.PENDING, created_at__gte=since).aggregate(
            total=Sum("size_bytes")
        )["total"]
        or 0
    )
    try:
        enforce_limit(workspace=workspace, limit="storage_bytes", adding=size + reserved)
    except PlanLimitExceeded as exc:
        if reserved:
            exc.message += f" Uploads not confirmed yet reserve {reserved} more."
            exc.details["pending_uploads_bytes"] = reserved
        raise


@transaction.atomic
def create_upload(
    *,
    workspace,
    uploaded_by,
    filename: str,
    size: int,
    content_type: str,
    project_id=None,
    scope_id=None,
    request=None,
) -> tuple[Document, Link]:
    """A pending Document and the short-lived URL the client sends the bytes to."""
    filename = clean_filename(filename)
    declared = file_types.normalize_declared(content_type)
    if declared not in file_types.ACCEPTED_TYPES:
        raise UnsupportedMediaType(
            f"Files of type {content_type or 'unknown'} are not accepted. Upload {ACCEPTED_LABEL}.",
            details={"content_type": content_type, "accepted": list(file_types.ACCEPTED_TYPES)},
        )
    if size <= 0:
        raise ValidationFailed("The file is empty.", details={"size": ["The file is empty."]})
    plan = plan_for(workspace)
    if plan.get("max_file_bytes") is not None and size > plan["max_file_bytes"]:
        raise too_large(size=size, plan=plan)
    links = _links(workspace=workspace, project_id=project_id, scope_id=scope_id)
    _enforce_storage_with_pending(workspace=workspace, size=size)
    document_id = uuid.uuid4()
    document = Document(
        id=document_id,
        workspace=workspace,
        **links,
        uploaded_by=uploaded_by,
        filename=filename,
        content_type=declared,
        size_bytes=size,
        **_keys(workspace_id=workspace.id, document_id=document_id, filename=filename),
    )
    document.full_clean()
    document.save(force_insert=True)
    return document, _upload_link(document, request=request)


EDITABLE_FIELDS = ("filename", "project", "scope")


def clean_filename(filename: str) -> str:
    """The name shown and used in downloads: the last part of a path (browsers may send "C:\\fakepath\\a.pdf"),
    trimmed; refused when empty, a bare '.'/'..', or holding control characters (they would break headers)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or name in (".", ".."):
        raise ValidationFailed("The file needs a name.", details={"filename": ["The file needs a name."]})
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        message = "The file name must not contain control characters such as line breaks."
        raise ValidationFailed(message, details={"filename": [message]})
    return name


@transaction.atomic
def update_document(*, document: Document, actor, changes: dict) -> Document:
    """Rename (`filename`), or link to / unlink from a project or scope (`project_id`/`scope_id`, None unlinks;
    a scope implies its project). The file itself never changes."""
    changes = dict(changes)
    if "filename" in changes:
        changes["filename"] = clean_filename(changes["filename"])
    if "project_id" in changes or "scope_id" in changes:
        changes.update(
            _links(
                workspace=document.workspace,
                project_id=changes.pop("project_id", document.project_id),
                scope_id=changes.pop("scope_id", document.scope_id),
            )
        )
    activity.record_update(document, changes, fields=EDITABLE_FIELDS, actor=actor, verb=Verb.DOCUMENT_UPDATED)
    return document


def _upload_link(document, *, request=None) -> Link:
    return get_blob_store().signed_upload_url(
        document.upload_key, content_type=document.content_type, size=document.size_bytes, request=request
    )


def upload_link(*, document, request=None) -> Link:
    """A fresh upload URL for a document still waiting for its bytes (the first one may have expired)."""
    if document.status != Document.Status.PENDING:
        raise Conflict("This document's file was already received.")
    return _upload_link(document, request=request)


def download_link(*, document, request=None) -> Link:
    """A short-lived signed URL to the original file, as an attachment under the document's name."""
    if not document.blob_stored:
        raise NotFound("This document has no stored file.")
    return get_blob_store().signed_download_url(
        document.storage_key,
        filename=document.filename,
        content_type=document.detected_type or "application/octet-stream",
        request=request,
    )


def check_upload_target(key: str) -> None:
    """BLOB_UPLOAD_GUARDS hook for local storage: bytes are accepted under `uploads/` only while the document is
    waiting for them, so a file cannot be swapped once confirmed (S3 would keep such a late PUT as an object that
    nothing reads; the local stand-in refuses it)."""
    parts = key.split("/")
    document_id = parts[2] if len(parts) > 3 else None
    try:
        document = Document.objects.filter(pk=document_id, upload_key=key).first() if document_id else None
    except DjangoValidationError:
        document = None
    if document is None:
        raise NotFound()
    if document.status != Document.Status.PENDING:
        raise Conflict("This document's file was already received; start a new upload to replace it.")
