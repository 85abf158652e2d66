"""A scope's life: status transitions, duplication, trash, restore and the purge of old trash."""

import io
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from orbit.testing import assert_error
from scopes.cleanup import cleanup
from scopes.models import Scope, ScopeSection
from scopes.tests.factories import CommentFactory, FavouriteFactory, ScopeFactory, ScopeSectionFactory
from scopes.tests.scope_support import scopes_url, verbs
from workspaces.models import ActivityEvent

pytestmark = pytest.mark.django_db


class TestTransitions:
    def test_full_workflow(self, member, workspace):
        editor = member("editor")
        scope = ScopeFactory(workspace=workspace)
        for target in ("in_review", "approved", "sent", "archived", "draft"):
            response = editor.post(scopes_url(workspace, scope.pk, "transition"), {"status": target})
            assert response.status_code == 200, response.json()
            assert response.json()["status"] == target
        events = ActivityEvent.objects.filter(verb="scope.status_changed").order_by("created_at")
        assert [e.metadata["to"] for e in events] == ["in_review", "approved", "sent", "archived", "draft"]

    @pytest.mark.parametrize(
        ("start", "target", "allowed"),
        [
            ("draft", "approved", ["in_review", "archived"]),
            ("draft", "sent", ["in_review", "archived"]),
            ("sent", "draft", ["archived"]),
            ("archived", "approved", ["draft"]),
            ("in_review", "in_review", ["approved", "archived"]),
        ],
    )
    def test_refused_transitions_list_the_allowed_ones(self, member, workspace, start, target, allowed):
        scope = ScopeFactory(workspace=workspace, status=start)
        response = member("editor").post(scopes_url(workspace, scope.pk, "transition"), {"status": target})
        assert response.status_code == 409
        error = response.json()["error"]
        assert error["code"] == "conflict"
        assert error["details"] == {"from": start, "to": target, "allowed": allowed}
        scope.refresh_from_db()
        assert scope.status == start

    @pytest.mark.parametrize("start", ["draft", "in_review", "approved", "sent"])
    def test_any_status_can_be_archived(self, member, workspace, start):
        scope = ScopeFactory(workspace=workspace, status=start)
        response = member("editor").post(scopes_url(workspace, scope.pk, "transition"), {"status": "archived"})
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "archived"

    def test_unknown_status_is_400(self, member, workspace):
        scope = ScopeFactory(workspace=workspace)
        response = member("editor").post(scopes_url(workspace, scope.pk, "transition"), {"status": "lost"})
        assert "status" in assert_error(response, 400, "validation_error")
        scope.refresh_from_db()
        assert (scope.status, scope.version) == ("draft", 1)


class TestDuplicate:
    def test_copies_every_section_as_a_new_draft(self, member, workspace):
        editor = member("editor")
        scope = ScopeFactory(workspace=workspace, status=Scope.Status.SENT)
        for index in range(3):
            ScopeSectionFactory(scope=scope, title=f"S{index}", sources=[{"document_id": str(uuid.uuid4()), "page": 1}])
        response = editor.post(scopes_url(workspace, scope.pk, "duplicate"), {})
        assert response.status_code == 201
        copy = response.json()
        assert copy["id"] != str(scope.pk)
        assert copy["status"] == "draft"
        assert copy["title"] == f"Copy of {scope.title}"
        assert [s["title"] for s in copy["sections"]] == ["S0", "S1", "S2"]
        assert {s["id"] for s in copy["sections"]}.isdisjoint({str(s.pk) for s in scope.sections.all()})
        assert ScopeSection.objects.filter(scope=scope).count() == 3
        assert verbs(workspace) == ["scope.duplicated"]

    def test_each_section_keeps_its_content_and_place_and_starts_a_new_history(self, member, workspace):
        scope = ScopeFactory(workspace=workspace)
        ScopeSectionFactory(scope=scope, title="Plain")
        original = ScopeSectionFactory(
            scope=scope,
            section_type=ScopeSection.SectionType.RISKS,
            content="Weather.",
            confidence=0.4,
            ai_generated=True,
            sources=[{"document_id": str(uuid.uuid4()), "page": 2, "quote": "rain"}],
            version=5,
        )
        CommentFactory(scope=scope, section=original)
        copy_id = member("editor").post(scopes_url(workspace, scope.pk, "duplicate"), {}).json()["id"]
        copied = ScopeSection.objects.get(scope_id=copy_id, position=1)
        kept = ("section_type", "title", "content", "confidence", "ai_generated", "sources")
        assert [getattr(copied, name) for name in kept] == [getattr(original, name) for name in kept]
        assert (copied.version, copied.comments.count()) == (1, 0)

    def test_counts_against_the_plan_and_writes_nothing_when_refused(self, member, workspace):
        editor = member("editor")
        scope = ScopeFactory(workspace=workspace)
        ScopeSectionFactory(scope=scope)
        ScopeFactory.create_batch(2, workspace=workspace)
        response = editor.post(scopes_url(workspace, scope.pk, "duplicate"), {})
        assert assert_error(response, 402, "plan_limit_exceeded")["limit_name"] == "scopes_per_month"
        assert Scope.objects.count() == 3
        assert ScopeSection.objects.count() == 1


class TestTrash:
    def test_delete_restore_and_trash_list(self, member, workspace):
        editor = member("editor")
        scope = ScopeFactory(workspace=workspace)
        assert editor.delete(scopes_url(workspace, scope.pk)).status_code == 204
        assert_error(editor.get(scopes_url(workspace, scope.pk)), 404, "not_found")
        assert editor.get(scopes_url(workspace)).json()["results"] == []
        assert [r["id"] for r in editor.get(scopes_url(workspace, "trash")).json()["results"]] == [str(scope.pk)]
        assert [r["id"] for r in editor.get(scopes_url(workspace) + "?trashed=true").json()["results"]] == [
            str(scope.pk)
        ]
        # Nested routes of a trashed scope are gone too.
        assert_error(editor.get(scopes_url(workspace, scope.pk, "sections")), 404, "not_found")

        response = editor.post(scopes_url(workspace, scope.pk, "restore"))
        assert response.status_code == 200
        assert response.json()["deleted_at"] is None
        assert editor.get(scopes_url(workspace, scope.pk)).status_code == 200
        assert verbs(workspace) == ["scope.deleted", "scope.restored"]

    def test_restoring_a_live_scope_is_404(self, member, workspace):
        scope = ScopeFactory(workspace=workspace)
        assert_error(member("editor").post(scopes_url(workspace, scope.pk, "restore")), 404, "not_found")
        assert not ActivityEvent.objects.exists()

    def test_cleanup_purges_after_30_days_only(self, workspace):
        now = timezone.now()
        old = ScopeFactory(workspace=workspace, deleted_at=now - timedelta(days=31))
        ScopeSectionFactory(scope=old)
        CommentFactory(scope=old)
        recent = ScopeFactory(workspace=workspace, deleted_at=now - timedelta(days=29))
        live = ScopeFactory(workspace=workspace)
        assert cleanup(now=now)["trashed scopes purged"] == 1
        assert set(Scope.objects.values_list("pk", flat=True)) == {recent.pk, live.pk}
        assert cleanup(now=now) == {"trashed scopes purged": 0, "scopes with drifted counts recounted": 0}

    def test_the_cleanup_command_purges_old_trash(self, workspace):
        old = ScopeFactory(workspace=workspace, deleted_at=timezone.now() - timedelta(days=30, minutes=1))
        ScopeSectionFactory(scope=old)
        FavouriteFactory(scope=old)
        kept = ScopeFactory(workspace=workspace, deleted_at=timezone.now() - timedelta(days=29, hours=23))
        out = io.StringIO()
        call_command("cleanup", stdout=out)
        assert "scopes: trashed scopes purged: 1" in out.getvalue()
        assert list(Scope.objects.values_list("pk", flat=True)) == [kept.pk]
        assert not ScopeSection.objects.exists()
