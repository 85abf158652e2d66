"""The demo's real flow, run synchronously by `seed_demo`: upload the shipped RFP(s) → process → extract a scope
with the built-in engine → analyse it → export a PDF and a DOCX. Each step goes through the same services and
worker functions the API and the queue use; each is skipped when its result already exists (idempotent)."""

from pathlib import Path

from django.conf import settings
from django.test.utils import override_settings

from ai import runner as ai_runner
from ai.models import AIRun
from ai.services import request_analyze, request_extract
from documents import processing
from documents.models import Document
from documents.services import confirm_upload, create_upload
from orbit.blobstore import get_blob_store
from scopes.models import Scope

HERE = Path(__file__).resolve().parent
# (file shipped beside this module, content type); sources and licences in README.md here.
DOCUMENTS = [("kubernetes-security-audit-2021-rfp.md", "text/markdown")]
SCOPE_TITLE = "Kubernetes third-party security audit"
EXPORT_FORMATS = ["pdf", "docx"]


def _document(*, workspace, owner, filename: str, content_type: str) -> Document:
    document = Document.objects.filter(workspace=workspace, filename=filename).first()
    if document is None:
        data = (HERE / filename).read_bytes()
        # create_upload also signs an upload URL for a client; we write the bytes ourselves, so any origin will do.
        with override_settings(API_PUBLIC_URL=settings.API_PUBLIC_URL or "http://localhost"):
            document, _unused_link = create_upload(
                workspace=workspace, uploaded_by=owner, filename=filename, size=len(data), content_type=content_type
            )
        get_blob_store().put_bytes(document.upload_key, data, content_type=content_type)
        document = confirm_upload(document=document, actor=owner)
    if document.status != Document.Status.COMPLETED:
        processing.process(str(document.id))  # what the worker would do; a claim makes the queued copy a no-op
        document.refresh_from_db()
    return document


def _run(run: AIRun) -> AIRun:
    ai_runner.run(str(run.id))
    run.refresh_from_db()
    if run.status != AIRun.Status.SUCCEEDED:
        raise RuntimeError(f"The demo's AI {run.kind} run failed: {run.error_code} {run.error_message}")
    return run


def seed(*, workspace, owner) -> dict:
    """Run the flow; returns what it holds (documents, scope, analysis run, exports) for the summary line."""
    from exports import processing as export_processing
    from exports.models import Export
    from exports.services import request_export

    membership = workspace.memberships.get(user=owner)
    documents = [
        _document(workspace=workspace, owner=owner, filename=name, content_type=kind) for name, kind in DOCUMENTS
    ]
    scope = Scope.objects.alive().filter(workspace=workspace, title=SCOPE_TITLE).first()
    if scope is None:
        run = request_extract(
            membership=membership,
            document_ids=[document.id for document in documents],
            title=SCOPE_TITLE,
        )
        scope = _run(run).scope
    analysis = AIRun.objects.filter(scope=scope, kind=AIRun.Kind.ANALYZE, status=AIRun.Status.SUCCEEDED).first()
    if analysis is None:
        analysis = _run(request_analyze(membership=membership, scope_id=scope.id))
    exports = []
    for fmt in EXPORT_FORMATS:
        export = Export.objects.filter(scope=scope, format=fmt, status=Export.Status.SUCCEEDED).first()
        if export is None:
            export, _cached = request_export(workspace=workspace, scope_id=scope.id, actor=owner, data={"format": fmt})
            export_processing.run(str(export.id))
            export.refresh_from_db()
        exports.append(export)
    return {"documents": documents, "scope": scope, "analysis": analysis, "exports": exports}
