"""The worker end to end: content read at render time, branding decided at request time, failures readable,
claims honoured as in documents.processing, cleanup hooks."""

from datetime import timedelta

import docx
import pytest
from django.core.management import call_command
from django.utils import timezone

from exports import processing, services, storage, tasks
from exports.models import Export
from exports.tests.factories import ExportFactory
from exports.tests.readback import pdf_pages, squash
from scopes.tests.factories import CommentFactory, ScopeFactory, ScopeSectionFactory
from workspaces.models import ActivityEvent


def _file(local_storage, export) -> bytes:
    with local_storage.open(export.file_key, "rb") as handle:
        return handle.read()


@pytest.fixture
def scope(workspace):
    scope = ScopeFactory(
        workspace=workspace,
        title="Intake <b>modernisation</b>",
        client_name="City of Springfield",
        ai_analysis={"risks": [{"title": "Legacy data"}], "open_questions": ["Who hosts it?"]},
    )
    first = ScopeSectionFactory(scope=scope, title="Overview", content="We **build** it.\n\n- one\n- two")
    ScopeSectionFactory(scope=scope, title="Timeline", content="Twelve weeks.")
    CommentFactory(scope=scope, section=first, body="Check & confirm <dates>")
    CommentFactory(scope=scope, body="Settled.", resolved_at=timezone.now())
    return scope


def _request(workspace, scope, fmt="pdf", **options):
    export, cached = services.request_export(
        workspace=workspace, scope_id=scope.id, actor=workspace.owner, data={"format": fmt, "options": options}
    )
    assert not cached
    return export


def test_pdf_end_to_end_with_every_option(workspace, scope, local_storage):
    export = _request(
        workspace,
        scope,
        include_confidence=True,
        include_comments=True,
        include_resolved_comments=True,
        include_analysis=True,
    )
    assert tasks.generate_export(str(export.id)) == "succeeded"
    export.refresh_from_db()
    assert export.status == Export.Status.SUCCEEDED
    data = _file(local_storage, export)
    assert export.size_bytes == len(data)
    assert data.startswith(b"%PDF")
    text = squash(" ".join(pdf_pages(data)))
    for expected in (
        "Intake <b>modernisation</b>",
        "1 Overview",
        "We build it.",
        "• one",
        "2 Timeline",
        "Legacy data",
        "Who hosts it?",
        "Check & confirm <dates>",
        "Settled.",
        "Made with Orbit",
    ):
        assert expected in text, expected
    assert text.index("1 Overview") < text.index("2 Timeline")


def test_open_comments_only_unless_resolved_asked_for(workspace, scope, local_storage):
    export = _request(workspace, scope, include_comments=True)
    tasks.generate_export(str(export.id))
    export.refresh_from_db()
    text = squash(" ".join(pdf_pages(_file(local_storage, export))))
    assert "Check & confirm <dates>" in text
    assert "Settled." not in text


def test_docx_end_to_end(workspace, scope, local_storage):
    import io

    export = _request(workspace, scope, fmt="docx")
    assert tasks.generate_export(str(export.id)) == "succeeded"
    export.refresh_from_db()
    document = docx.Document(io.BytesIO(_file(local_storage, export)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[-2:] == ["1  Overview", "2  Timeline"]
    assert export.filename == "Intake bmodernisationb.docx"  # no characters file systems refuse


def test_paid_plan_export_carries_logo_and_colour(workspace, scope, local_storage, logo_server):
    workspace.plan, workspace.primary_color, workspace.logo_url = "team", "#B4234A", f"{logo_server}/logo.png"
    workspace.save()
    export = _request(workspace, scope)
    assert export.branding == {
        "plan": "team",
        "custom": True,
        "color": "#B4234A",
        "logo_url": f"{logo_server}/logo.png",
    }
    tasks.generate_export(str(export.id))
    export.refresh_from_db()
    data = _file(local_storage, export)
    assert b"/Subtype /Image" in data
    assert "Made with Orbit" not in " ".join(pdf_pages(data))


def test_branding_recorded_at_request_time_is_what_renders(workspace, scope, local_storage, logo_server):
    export = _request(workspace, scope)  # asked for on Free
    workspace.plan, workspace.logo_url = "team", f"{logo_server}/logo.png"
    workspace.save()
    tasks.generate_export(str(export.id))
    export.refresh_from_db()
    data = _file(local_storage, export)
    assert b"/Subtype /Image" not in data
    assert "Made with Orbit" in " ".join(pdf_pages(data))


@pytest.mark.parametrize("path", ["/missing.png", "/logo.png?private"])
def test_a_logo_that_cannot_be_had_is_left_out(workspace, scope, local_storage, logo_server, settings, path):
    if path.endswith("private"):
        settings.EXPORT_LOGO_ALLOW_PRIVATE_HOSTS = False  # 127.0.0.1 is not a public address
    workspace.plan, workspace.logo_url = "pro", f"{logo_server}{path}"
    workspace.save()
    export = _request(workspace, scope)
    assert tasks.generate_export(str(export.id)) == "succeeded"
    export.refresh_from_db()
    assert b"/Subtype /Image" not in _file(local_storage, export)


def test_render_crash_fails_with_a_readable_error_and_retry_works(workspace, scope, local_storage, monkeypatch):
    export = _request(workspace, scope)

    def broken(document):
        raise RuntimeError("renderer bug")

    monkeypatch.setitem(processing.RENDERERS, Export.Format.PDF, broken)
    assert tasks.generate_export(str(export.id)) == "failed"
    export.refresh_from_db()
    assert export.status == Export.Status.FAILED
    assert export.error == "The export could not be generated because of an internal error; retry it."
    assert "renderer bug" not in export.error
    failed = ActivityEvent.objects.get(verb="export.failed", target_id=str(export.id))
    assert failed.metadata == {"scope_id": str(scope.id), "format": "pdf", "run": export.run, "error": export.error}
    monkeypatch.undo()
    services.retry_export(export=export, actor=workspace.owner)
    assert tasks.generate_export(str(export.id)) == "succeeded"
    export.refresh_from_db()
    assert (export.status, export.run, export.error) == (Export.Status.SUCCEEDED, 2, "")


def test_scope_trashed_before_the_worker_ran(workspace, scope):
    export = _request(workspace, scope)
    scope.deleted_at = timezone.now()
    scope.save()
    assert tasks.generate_export(str(export.id)) == "failed"
    export.refresh_from_db()
    assert "trash" in export.error


def test_storage_outage_fails_readably(workspace, scope, monkeypatch):
    export = _request(workspace, scope)

    def down(*args, **kwargs):
        raise storage.BlobUnavailable("connection refused")

    monkeypatch.setattr(storage, "put", down)
    assert tasks.generate_export(str(export.id)) == "failed"
    export.refresh_from_db()
    assert export.error == "Storage was unavailable while saving the file; retry the export."


def test_live_claim_is_not_taken_twice_and_done_exports_are_skipped(workspace, scope):
    export = _request(workspace, scope)
    Export.objects.filter(pk=export.pk).update(status=Export.Status.RUNNING, claimed_at=timezone.now())
    assert tasks.generate_export(str(export.id)) == "skipped"
    Export.objects.filter(pk=export.pk).update(claimed_at=timezone.now() - timedelta(days=1))
    assert tasks.generate_export(str(export.id)) == "succeeded"  # a stale claim is picked up again
    assert tasks.generate_export(str(export.id)) == "skipped"
    assert ActivityEvent.objects.filter(verb="export.succeeded", target_id=str(export.id)).count() == 1


def test_lost_claim_writes_nothing_and_removes_its_file(workspace, scope, local_storage):
    export = _request(workspace, scope)
    claimed, claim = processing._claim(str(export.id))
    Export.objects.filter(pk=export.pk).update(claimed_at=timezone.now())  # another worker took over
    assert processing._store(claimed, claim, b"%PDF-late", "0" * 64) is False
    export.refresh_from_db()
    assert export.status == Export.Status.RUNNING
    assert not export.file_key


def test_worker_that_keeps_dying_ends_failed(workspace, scope, settings):
    export = _request(workspace, scope)
    Export.objects.filter(pk=export.pk).update(
        status=Export.Status.RUNNING,
        claimed_at=timezone.now() - timedelta(days=1),
        attempts=settings.EXPORT_MAX_ATTEMPTS,
    )
    assert tasks.generate_export(str(export.id)) == "failed"
    export.refresh_from_db()
    assert "several attempts" in export.error


def test_cleanup_removes_old_exports_and_their_files(
    workspace, scope, local_storage, settings, django_capture_on_commit_callbacks
):
    old = _request(workspace, scope)
    tasks.generate_export(str(old.id))
    old.refresh_from_db()
    Export.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=settings.EXPORT_RETENTION_DAYS + 1)
    )
    fresh = _request(workspace, scope, include_analysis=True)
    tasks.generate_export(str(fresh.id))
    fresh.refresh_from_db()
    stray = ExportFactory(workspace=workspace, scope=scope, status=Export.Status.FAILED, file_key="exports/stray.pdf")
    storage.put(stray.file_key, b"%PDF-stray", content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("cleanup")
    assert set(Export.objects.values_list("pk", flat=True)) == {fresh.pk, stray.pk}
    assert not local_storage.exists(old.file_key)
    assert local_storage.exists(fresh.file_key)
    assert not local_storage.exists("exports/stray.pdf")
    stray.refresh_from_db()
    assert stray.file_key == ""


def test_stalled_exports_are_requeued_by_cleanup(workspace, scope, settings):
    export = _request(workspace, scope)
    Export.objects.filter(pk=export.pk).update(updated_at=timezone.now() - timedelta(seconds=settings.EXPORT_LEASE + 1))
    assert services.requeue_stale(now=timezone.now()) == 1  # tasks run in-process in tests
    export.refresh_from_db()
    assert export.status == Export.Status.SUCCEEDED
