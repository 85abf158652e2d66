"""The Idempotency-Key mechanism (orbit.idempotency), driven through real creating endpoints."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from orbit.cleanup import cleanup
from orbit.models import IdempotencyKey
from orbit.testing import assert_error, raw_connection
from scopes.models import Scope, ScopeSection
from scopes.tests.factories import ScopeFactory, ScopeSectionFactory


def scopes_url(workspace, *parts):
    return "/".join([f"/api/workspaces/{workspace.pk}/scopes", *map(str, parts)]) + "/"


@pytest.mark.django_db
class TestReplay:
    def test_replay_returns_the_first_response_without_creating_again(self, member, workspace):
        editor = member("editor")
        first = editor.post(scopes_url(workspace), {"title": "Once"}, HTTP_IDEMPOTENCY_KEY="k-1")
        second = editor.post(scopes_url(workspace), {"title": "Once"}, HTTP_IDEMPOTENCY_KEY="k-1")
        assert first.status_code == second.status_code == 201
        assert second.json() == first.json()
        assert second["ETag"] == first["ETag"]
        assert second["Idempotent-Replayed"] == "true"
        assert not first.has_header("Idempotent-Replayed")
        assert Scope.objects.count() == 1

    def test_body_key_order_does_not_matter(self, member, workspace):
        editor = member("editor")
        editor.post(scopes_url(workspace), {"title": "A", "summary": "B"}, HTTP_IDEMPOTENCY_KEY="k")
        again = editor.post(scopes_url(workspace), {"summary": "B", "title": "A"}, HTTP_IDEMPOTENCY_KEY="k")
        assert again.status_code == 201
        assert Scope.objects.count() == 1

    def test_same_key_different_body_is_422(self, member, workspace):
        editor = member("editor")
        editor.post(scopes_url(workspace), {"title": "A"}, HTTP_IDEMPOTENCY_KEY="k")
        response = editor.post(scopes_url(workspace), {"title": "B"}, HTTP_IDEMPOTENCY_KEY="k")
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "idempotency_key_reused"
        assert Scope.objects.count() == 1

    def test_same_key_on_another_endpoint_is_422(self, member, workspace):
        editor = member("editor")
        scope = ScopeFactory(workspace=workspace)
        editor.post(scopes_url(workspace), {}, HTTP_IDEMPOTENCY_KEY="k")
        response = editor.post(scopes_url(workspace, scope.pk, "duplicate"), {}, HTTP_IDEMPOTENCY_KEY="k")
        assert_error(response, 422, "idempotency_key_reused")
        assert Scope.objects.count() == 2  # the first create and the original; no duplicate

    def test_keys_are_per_user(self, member, workspace):
        member("editor").post(scopes_url(workspace), {"title": "A"}, HTTP_IDEMPOTENCY_KEY="shared")
        response = member("editor").post(scopes_url(workspace), {"title": "A"}, HTTP_IDEMPOTENCY_KEY="shared")
        assert response.status_code == 201
        assert not response.has_header("Idempotent-Replayed")
        assert Scope.objects.count() == 2

    def test_without_a_key_each_request_creates(self, member, workspace):
        editor = member("editor")
        editor.post(scopes_url(workspace), {"title": "A"})
        editor.post(scopes_url(workspace), {"title": "A"})
        assert Scope.objects.count() == 2
        assert not IdempotencyKey.objects.exists()

    def test_failed_requests_are_not_stored_so_a_corrected_retry_works(self, member, workspace):
        editor = member("editor")
        bad = editor.post(scopes_url(workspace), {"project_id": "not-a-uuid"}, HTTP_IDEMPOTENCY_KEY="k")
        assert "project_id" in assert_error(bad, 400, "validation_error")
        assert not IdempotencyKey.objects.exists()
        # Same key, same body: the request runs again (and fails again), it is not replayed.
        again = editor.post(scopes_url(workspace), {"project_id": "not-a-uuid"}, HTTP_IDEMPOTENCY_KEY="k")
        assert "project_id" in assert_error(again, 400, "validation_error")
        assert not Scope.objects.exists()
        good = editor.post(scopes_url(workspace), {"title": "Fixed"}, HTTP_IDEMPOTENCY_KEY="k")
        assert good.status_code == 201
        assert Scope.objects.count() == 1

    def test_plan_limit_refusal_is_not_replayed_after_an_upgrade(self, member, workspace):
        editor = member("editor")
        ScopeFactory.create_batch(3, workspace=workspace)
        assert_error(editor.post(scopes_url(workspace), {}, HTTP_IDEMPOTENCY_KEY="k"), 402, "plan_limit_exceeded")
        assert Scope.objects.count() == 3
        workspace.plan = "pro"
        workspace.save(update_fields=["plan"])
        assert editor.post(scopes_url(workspace), {}, HTTP_IDEMPOTENCY_KEY="k").status_code == 201

    def test_duplicate_is_idempotent(self, member, workspace):
        editor = member("editor")
        scope = ScopeFactory(workspace=workspace)
        ScopeSectionFactory.create_batch(2, scope=scope)
        first = editor.post(scopes_url(workspace, scope.pk, "duplicate"), {}, HTTP_IDEMPOTENCY_KEY="dup")
        second = editor.post(scopes_url(workspace, scope.pk, "duplicate"), {}, HTTP_IDEMPOTENCY_KEY="dup")
        assert first.json()["id"] == second.json()["id"]
        assert Scope.objects.count() == 2
        assert ScopeSection.objects.count() == 4

    @pytest.mark.parametrize("key", ["", "x" * 256])
    def test_key_length_is_checked(self, member, workspace, key):
        response = member("editor").post(scopes_url(workspace), {}, HTTP_IDEMPOTENCY_KEY=key)
        assert "Idempotency-Key" in assert_error(response, 400, "validation_error")
        assert not Scope.objects.exists()

    def test_expired_keys_start_afresh_and_are_purged(self, member, workspace):
        editor = member("editor")
        editor.post(scopes_url(workspace), {"title": "A"}, HTTP_IDEMPOTENCY_KEY="old")
        IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
        response = editor.post(scopes_url(workspace), {"title": "B"}, HTTP_IDEMPOTENCY_KEY="old")
        assert response.status_code == 201
        assert Scope.objects.count() == 2
        IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
        assert cleanup(now=timezone.now()) == {"expired idempotency keys": 1}
        assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_create_one_scope(member, workspace):
    """Both requests are in flight at once: one creates, the other waits for it and replays its answer.

    The workspace row is locked from outside first, so both requests are certainly running (the first one
    blocked in the plan-limit check, the second at the key claim) before either can finish.
    """
    editor = member("editor")
    results = []

    def create():
        try:
            results.append(editor.post(scopes_url(workspace), {"title": "Once"}, HTTP_IDEMPOTENCY_KEY="race"))
        finally:
            connections.close_all()

    with raw_connection() as blocker:
        blocker.execute("SELECT id FROM workspaces_workspace WHERE id = %s FOR UPDATE", [workspace.pk])
        threads = [threading.Thread(target=create) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        assert results == []  # both are waiting
        assert Scope.objects.count() == 0
        blocker.rollback()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(r.status_code for r in results) == [201, 201]
    assert results[0].json()["id"] == results[1].json()["id"]
    assert sorted(r.has_header("Idempotent-Replayed") for r in results) == [False, True]
    assert Scope.objects.count() == 1
    assert IdempotencyKey.objects.get().response_status == 201


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_different_keys_both_create(member, workspace):
    """The control for the test above: the mechanism serialises one key, not the endpoint."""
    editor = member("editor")
    results = []

    def create(key):
        try:
            results.append(editor.post(scopes_url(workspace), {"title": "Twice"}, HTTP_IDEMPOTENCY_KEY=key))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(key,)) for key in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [r.status_code for r in results] == [201, 201]
    assert Scope.objects.count() == 2


def _parsed(body: dict):
    """A DRF request as a view sees it, from a multipart form (what an upload endpoint receives)."""
    from rest_framework.parsers import FormParser, MultiPartParser
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    django_request = APIRequestFactory().post("/api/x/", body, format="multipart")
    return Request(django_request, parsers=[MultiPartParser(), FormParser()])


def test_fingerprint_of_a_multipart_body_covers_file_bytes_and_repeated_fields():
    """A later issue may put @idempotent on an upload: files are hashed by content, repeated fields all count."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from orbit.idempotency import request_fingerprint

    def fingerprint(content: bytes, tags: list[str]) -> str:
        return request_fingerprint(_parsed({"file": SimpleUploadedFile("brief.pdf", content), "tag": tags}))

    same = fingerprint(b"%PDF-1.7 one", ["a", "b"])
    assert fingerprint(b"%PDF-1.7 one", ["a", "b"]) == same
    assert fingerprint(b"%PDF-1.7 two", ["a", "b"]) != same
    assert fingerprint(b"%PDF-1.7 one", ["a", "c"]) != same
    request = _parsed({"file": SimpleUploadedFile("brief.pdf", b"%PDF-1.7 one")})
    request_fingerprint(request)
    assert request.data["file"].read() == b"%PDF-1.7 one"  # the view can still read the upload
