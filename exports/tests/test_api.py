"""The exports API: roles, the cache, the plan limit, the rate limit, idempotency, refusals with unchanged state."""

import pytest
from django.utils import timezone

from exports.models import Export
from exports.tests.factories import ExportFactory
from exports.tests.readback import pdf_pages, squash
from orbit.testing import assert_error
from orbit.testing_state import unchanged
from scopes.tests.factories import ScopeFactory, ScopeSectionFactory
from workspaces.models import ActivityEvent


def _url(workspace, scope=None, export=None, action=""):
    base = f"/api/workspaces/{workspace.id}/"
    if scope is not None:
        return f"{base}scopes/{scope.id}/exports/"
    return f"{base}exports/{export.id}/{action}"


@pytest.fixture
def scope(workspace):
    scope = ScopeFactory(workspace=workspace, title="Intake modernisation")
    ScopeSectionFactory(scope=scope, title="Overview", content="The **agency** needs a new form.")
    return scope


@pytest.fixture
def run_worker(django_capture_on_commit_callbacks):
    """Runs what the request queued (tasks are synchronous in tests) once the request's transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.mark.parametrize(("role", "status"), [("owner", 202), ("admin", 202), ("editor", 202), ("viewer", 403)])
def test_who_may_ask_for_an_export(member, workspace, scope, role, status):
    response = member(role).post(_url(workspace, scope), {"format": "pdf"}, format="json")
    assert response.status_code == status
    if status == 403:
        assert response.json()["error"]["code"] == "permission_denied"
        assert not Export.objects.exists()


@pytest.mark.parametrize("role", ["owner", "admin", "editor", "viewer"])
def test_every_member_may_list_and_poll(member, workspace, scope, role):
    export = ExportFactory(workspace=workspace, scope=scope)
    client = member(role)
    listed = client.get(_url(workspace, scope))
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [str(export.id)]
    assert client.get(_url(workspace, export=export)).json()["status"] == "queued"


def test_request_runs_in_the_worker_and_records_everything(member, workspace, scope, run_worker):
    editor = member("editor")
    with run_worker():
        response = editor.post(
            _url(workspace, scope), {"format": "pdf", "options": {"include_confidence": True}}, format="json"
        )
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued"
    assert body["options"] == {
        "include_confidence": True,
        "include_comments": False,
        "include_resolved_comments": False,
        "include_analysis": False,
    }
    assert body["branding"] == {"plan": "free", "custom": False, "color": "#2B3A4F", "logo_url": ""}
    polled = editor.get(_url(workspace, export=Export.objects.get()))
    detail = polled.json()
    assert detail["status"] == "succeeded"
    assert detail["size_bytes"] > 1000
    assert detail["filename"] == "Intake modernisation.pdf"
    assert detail["download"]["url"].startswith("http://testserver/")
    events = dict(
        ActivityEvent.objects.filter(workspace=workspace, verb__startswith="export.").values_list("verb", "metadata")
    )
    named = {"scope_id": str(scope.id), "format": "pdf"}  # every export event names its scope and format
    assert events["export.requested"] == {**named, "options": body["options"], "branding": "free"}
    assert events["export.succeeded"] == {**named, "size_bytes": detail["size_bytes"]}


def test_same_content_returns_the_finished_export_without_counting(member, workspace, scope, run_worker, settings):
    editor = member("editor")
    with run_worker():
        first = editor.post(_url(workspace, scope), {"format": "pdf"}, format="json")
    again = editor.post(_url(workspace, scope), {"format": "pdf", "options": {}}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["status"] == "succeeded"
    assert Export.objects.count() == 1
    # A change to a section, the options or the format is new content.
    docx = editor.post(_url(workspace, scope), {"format": "docx"}, format="json")
    assert docx.status_code == 202
    scope.sections.update(content="Changed.")
    changed = editor.post(_url(workspace, scope), {"format": "pdf"}, format="json")
    assert changed.status_code == 202
    assert Export.objects.count() == 3


def test_branding_change_is_new_content(member, workspace, scope, run_worker):
    editor = member("editor")
    with run_worker():
        editor.post(_url(workspace, scope), {"format": "pdf"}, format="json")
    workspace.plan = "pro"
    workspace.primary_color = "#B4234A"
    workspace.save()
    response = editor.post(_url(workspace, scope), {"format": "pdf"}, format="json")
    assert response.status_code == 202
    assert response.json()["branding"] == {"plan": "pro", "custom": True, "color": "#B4234A", "logo_url": ""}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"format": "odt"}, "format"),
        ({}, "format"),
        ({"format": "pdf", "options": {"include_everything": True}}, "options"),
        ({"format": "pdf", "options": {"include_comments": "yes"}}, "options"),
        ({"format": "pdf", "options": ["include_comments"]}, "options"),
        ({"format": "pdf", "colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(member, workspace, scope, body, field):
    response = member("editor").post(_url(workspace, scope), body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["details"]
    assert not Export.objects.exists()


def test_scope_in_the_trash_is_a_409(member, workspace, scope):
    scope.deleted_at = timezone.now()
    scope.save()
    response = member("editor").post(_url(workspace, scope), {"format": "pdf"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert not Export.objects.exists()


def test_plan_limit_is_a_402_and_cached_answers_still_work(member, workspace, scope, run_worker, settings):
    settings.ORBIT_PLANS_OVERRIDE = {"free": {"exports_per_month": 1}}
    editor = member("editor")
    with run_worker():
        assert editor.post(_url(workspace, scope), {"format": "pdf"}, format="json").status_code == 202
    refused = editor.post(_url(workspace, scope), {"format": "docx"}, format="json")
    assert refused.status_code == 402
    error = refused.json()["error"]
    assert error["code"] == "plan_limit_exceeded"
    assert error["details"]["limit"] == 1
    assert error["details"]["usage"] == 1
    assert Export.objects.count() == 1
    assert editor.post(_url(workspace, scope), {"format": "pdf"}, format="json").status_code == 200  # cached


def test_rate_limit_is_a_429_with_retry_after(member, workspace, scope, settings):
    settings.EXPORT_RATE_LIMIT = "2/minute"
    editor = member("editor")
    for fmt in ("pdf", "docx"):
        assert editor.post(_url(workspace, scope), {"format": fmt}, format="json").status_code == 202
    refused = editor.post(
        _url(workspace, scope), {"format": "pdf", "options": {"include_analysis": True}}, format="json"
    )
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert int(refused["Retry-After"]) > 0
    assert Export.objects.count() == 2


def test_idempotency_key_replays_the_first_answer(member, workspace, scope):
    editor = member("editor")
    first = editor.post(_url(workspace, scope), {"format": "pdf"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = editor.post(_url(workspace, scope), {"format": "pdf"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert second.status_code == 202
    assert second["Idempotent-Replayed"] == "true"
    assert second.json()["id"] == first.json()["id"]
    assert Export.objects.count() == 1
    reused = editor.post(_url(workspace, scope), {"format": "docx"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    assert Export.objects.count() == 1


def test_failed_export_can_be_retried_without_counting(member, workspace, scope, run_worker):
    export = ExportFactory(workspace=workspace, scope=scope, status=Export.Status.FAILED, error="boom")
    editor = member("editor")
    with run_worker():
        response = editor.post(_url(workspace, export=export, action="retry/"))
    assert response.status_code == 202
    export.refresh_from_db()
    assert export.status == Export.Status.SUCCEEDED
    assert export.run == 2
    assert export.error == ""
    assert Export.objects.count() == 1


@pytest.mark.parametrize("status", [Export.Status.QUEUED, Export.Status.RUNNING, Export.Status.SUCCEEDED])
def test_only_failed_exports_can_be_retried(member, workspace, scope, status):
    export = ExportFactory(workspace=workspace, scope=scope, status=status)
    response = member("editor").post(_url(workspace, export=export, action="retry/"))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    export.refresh_from_db()
    assert export.status == status
    assert export.run == 1


def test_viewer_cannot_retry(member, workspace, scope):
    export = ExportFactory(workspace=workspace, scope=scope, status=Export.Status.FAILED)
    response = member("viewer").post(_url(workspace, export=export, action="retry/"))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    export.refresh_from_db()
    assert export.status == Export.Status.FAILED


@pytest.mark.parametrize(
    ("method", "path"),
    [
        pytest.param("get", "{workspace}/exports/{export}/", id="through-my-workspace"),
        pytest.param("get", "{other}/exports/{export}/", id="through-its-workspace"),
        pytest.param("post", "{workspace}/scopes/{scope}/exports/", id="export-its-scope"),
    ],
)
def test_other_workspaces_exports_are_not_found(member, workspace, other_workspace, scope, method, path):
    foreign = ExportFactory(workspace=other_workspace)
    client = member("owner")
    url = "/api/workspaces/" + path.format(
        workspace=workspace.id, other=other_workspace.id, export=foreign.id, scope=foreign.scope_id
    )
    with unchanged(Export.objects.all(), ActivityEvent.objects.all()):
        assert_error(getattr(client, method)(url, {"format": "pdf"}, format="json"), 404, "not_found")


def _download(client, url: str):
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}")


def test_signed_download_serves_exactly_this_exports_file(member, workspace, other_workspace, run_worker, api_client):
    mine = ScopeFactory(workspace=workspace, title="Mine")
    theirs = ScopeFactory(workspace=other_workspace, title="Theirs")
    with run_worker():
        member("editor").post(_url(workspace, mine), {"format": "pdf"}, format="json")
        member("owner", in_workspace=other_workspace).post(
            _url(other_workspace, theirs), {"format": "pdf"}, format="json"
        )
    export = Export.objects.get(scope=mine)
    viewer = member("viewer")
    link = viewer.get(_url(workspace, export=export)).json()["download"]
    response = _download(api_client, link["url"])  # no login: the signature is the credential
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    assert "Mine" in squash(" ".join(pdf_pages(body)))
    assert "Theirs" not in squash(" ".join(pdf_pages(body)))
    assert response["Content-Disposition"] == 'attachment; filename="Mine.pdf"'


def test_tampered_or_expired_download_links_are_refused(member, workspace, scope, run_worker, api_client):
    import time_machine

    with run_worker():
        member("editor").post(_url(workspace, scope), {"format": "pdf"}, format="json")
    url = member("viewer").get(_url(workspace, export=Export.objects.get())).json()["download"]["url"]
    tampered = url[:-6] + ("A" if url[-6] != "A" else "B") + url[-5:]
    refused = _download(api_client, tampered)
    assert refused.status_code == 404
    assert refused.json()["error"]["code"] == "not_found"
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=1)):
        expired = _download(api_client, url)
    assert expired.status_code == 403
    assert expired.json()["error"]["code"] == "permission_denied"
