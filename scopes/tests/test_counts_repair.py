"""The stored counts outside the API's write paths: the migration's backfill, `manage.py repair_scope_counts`
(and the hourly cleanup) on a corrupted row, comment edits in the admin, a full save of a stale Scope, and
concurrent writers on one scope."""

import importlib
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from orbit.housekeeping import run_cleanup
from scopes import counts
from scopes.models import Scope
from scopes.tests.factories import CommentFactory, ScopeFactory, ScopeSectionFactory
from scopes.tests.test_counts import fresh, stored


def repair_command(*args) -> str:
    out = StringIO()
    call_command("repair_scope_counts", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def scope(workspace):
    scope = ScopeFactory(workspace=workspace)
    ScopeSectionFactory.create_batch(2, scope=scope)
    CommentFactory(scope=scope)
    CommentFactory(scope=scope, resolved_at=timezone.now())
    CommentFactory(scope=scope, deleted_at=timezone.now())
    assert stored(scope.pk) == fresh(scope.pk) == (2, 1)
    return scope


@pytest.mark.django_db
def test_repair_fixes_a_corrupted_row_and_reports_it(scope, workspace):
    healthy = ScopeFactory(workspace=workspace)
    Scope.objects.filter(pk=scope.pk).update(section_count=7, open_comment_count=0)

    assert repair_command("--dry-run").startswith("1 scope(s) with drifted counts; nothing was changed")
    assert stored(scope.pk) == (7, 0)
    assert repair_command() == "1 scope(s) with drifted counts fixed\n"
    assert stored(scope.pk) == (2, 1)
    assert stored(healthy.pk) == (0, 0)
    assert repair_command() == "0 scope(s) with drifted counts fixed\n"


@pytest.mark.django_db
def test_the_hourly_cleanup_repairs_too(scope):
    Scope.objects.filter(pk=scope.pk).update(open_comment_count=5)
    assert run_cleanup(now=timezone.now(), dry_run=True)["scopes"]["scopes with drifted counts recounted"] == 1
    assert stored(scope.pk) == (2, 5)
    assert run_cleanup(now=timezone.now(), dry_run=False)["scopes"]["scopes with drifted counts recounted"] == 1
    assert stored(scope.pk) == (2, 1)


@pytest.mark.django_db
def test_the_migration_backfills_every_row(scope, workspace):
    empty = ScopeFactory(workspace=workspace)
    Scope.objects.update(section_count=0, open_comment_count=9)
    migration = importlib.import_module("scopes.migrations.0003_scope_counts")
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL)
    assert (stored(scope.pk), stored(empty.pk)) == ((2, 1), (0, 0))


@pytest.mark.django_db
def test_a_full_save_of_a_stale_scope_keeps_the_counts(scope):
    stale = Scope.objects.get(pk=scope.pk)
    CommentFactory(scope=scope)
    stale.title = "Renamed"
    stale.save()
    assert Scope.objects.get(pk=scope.pk).title == "Renamed"
    assert stored(scope.pk) == (2, 2)


@pytest.mark.django_db
def test_admin_comment_deletes_recount(staff_client, scope, workspace):
    other = ScopeFactory(workspace=workspace)
    on_other = CommentFactory(scope=other)
    first = CommentFactory(scope=scope)
    assert stored(scope.pk) == (2, 2)
    response = staff_client.post(reverse("admin:scopes_comment_delete", args=[first.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert stored(scope.pk) == (2, 1)
    root = scope.comments.get(resolved_at=None, deleted_at=None)
    CommentFactory(scope=scope, parent=root)
    response = staff_client.post(
        reverse("admin:scopes_comment_changelist"),
        {"action": "delete_selected", "_selected_action": [str(root.pk), str(on_other.pk)], "post": "yes"},
    )
    assert response.status_code == 302
    assert (stored(scope.pk), stored(other.pk)) == ((2, 0), (0, 0))  # the reply went with its thread
    assert counts.drifted() == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_leave_exact_counts(member, workspace):
    """Comments added, resolved and deleted and sections added and deleted at once, from six clients: no drift."""
    scope = ScopeFactory(workspace=workspace)
    ScopeSectionFactory.create_batch(3, scope=scope)
    comments = f"/api/workspaces/{workspace.pk}/scopes/{scope.pk}/comments/"
    sections = f"/api/workspaces/{workspace.pk}/scopes/{scope.pk}/sections/"
    failures = []

    def commenter():
        client = member("editor")
        for n in range(4):
            created = client.post(comments, {"body": f"Comment {n}"}).json()["id"]
            if n % 2:
                client.post(f"{comments}{created}/resolve/")
            if n == 3:
                client.delete(f"{comments}{created}/")

    def sectioner():
        client = member("editor")
        for n in range(3):
            created = client.post(sections, {"title": f"Section {n}"})
            if n == 1:
                client.delete(f"{sections}{created.json()['id']}/")

    def run(work):
        try:
            work()
        except Exception as exc:  # reported below: a thread's assertion would otherwise vanish
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(work,)) for work in [commenter] * 3 + [sectioner] * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    assert fresh(scope.pk) == (3 + 3 * 2, 3 * 2)  # per commenter: 4 added, 1 resolved, 1 deleted (resolved)
    assert stored(scope.pk) == fresh(scope.pk)
    assert counts.drifted() == []
