"""Races between requests: each is played for real, with a lock held from outside to line the requests up."""

import threading
import time

import pytest
from django.db import connections

from orbit.testing import assert_error, raw_connection
from scopes.models import Comment, Scope
from scopes.tests.factories import CommentFactory, ScopeFactory, ScopeSectionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _run_in_threads(calls):
    results = []

    def run(call):
        try:
            results.append(call())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    return threads, results


def test_scopes_per_month_is_counted_one_request_at_a_time(member, workspace):
    """Free plan: 3 a month. With 2 made, four simultaneous creates make exactly one more."""
    editor = member("editor")
    ScopeFactory.create_batch(2, workspace=workspace)
    url = f"/api/workspaces/{workspace.pk}/scopes/"
    with raw_connection() as blocker:
        # Every request queues behind this lock in the plan-limit check, so they all count at the same moment.
        blocker.execute("SELECT id FROM workspaces_workspace WHERE id = %s FOR UPDATE", [workspace.pk])
        threads, results = _run_in_threads([lambda n=n: editor.post(url, {"title": f"Race {n}"}) for n in range(4)])
        time.sleep(1.0)
        assert results == []
        blocker.rollback()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(response.status_code for response in results) == [201, 402, 402, 402]
    for refused in (response for response in results if response.status_code == 402):
        assert assert_error(refused, 402, "plan_limit_exceeded")["limit_name"] == "scopes_per_month"
    assert Scope.objects.filter(workspace=workspace).count() == 3


def test_a_reply_racing_the_deletion_of_its_thread_is_a_400(member, workspace):
    editor = member("editor")
    scope = ScopeFactory(workspace=workspace)
    root = CommentFactory(scope=scope)
    url = f"/api/workspaces/{workspace.pk}/scopes/{scope.pk}/comments/"
    with raw_connection() as deleter:
        # What delete_comment does for a comment without replies: lock it, then delete it.
        deleter.execute("SELECT id FROM scopes_comment WHERE id = %s FOR UPDATE", [root.pk])
        deleter.execute("DELETE FROM scopes_comment WHERE id = %s", [root.pk])
        threads, results = _run_in_threads(
            [lambda: editor.post(url, {"body": "Late reply", "parent_id": str(root.pk)})]
        )
        time.sleep(1.0)
        deleter.commit()
    threads[0].join(timeout=30)
    assert list(assert_error(results[0], 404, "not_found")) == ["parent_id"]
    assert not Comment.objects.exists()


def test_a_comment_racing_the_deletion_of_its_section_is_a_400(member, workspace):
    editor = member("editor")
    scope = ScopeFactory(workspace=workspace)
    section = ScopeSectionFactory(scope=scope)
    url = f"/api/workspaces/{workspace.pk}/scopes/{scope.pk}/comments/"
    with raw_connection() as deleter:
        # What delete_section does: lock the scope, then delete (the last section, so no positions move).
        deleter.execute("SELECT id FROM scopes_scope WHERE id = %s FOR UPDATE", [scope.pk])
        deleter.execute("DELETE FROM scopes_scopesection WHERE id = %s", [section.pk])
        threads, results = _run_in_threads([lambda: editor.post(url, {"body": "On it", "section_id": str(section.pk)})])
        time.sleep(1.0)
        deleter.commit()
    threads[0].join(timeout=30)
    assert list(assert_error(results[0], 404, "not_found")) == ["section_id"]
    assert not Comment.objects.exists()


def test_a_scope_created_in_a_project_being_deleted_is_a_400(member, workspace):
    from scopes.tests.factories import ProjectFactory

    editor = member("editor")
    project = ProjectFactory(workspace=workspace)
    url = f"/api/workspaces/{workspace.pk}/scopes/"
    with raw_connection() as deleter:
        # What delete_project does: lock the project, detach its scopes, delete it.
        deleter.execute("SELECT id FROM scopes_project WHERE id = %s FOR UPDATE", [project.pk])
        deleter.execute("UPDATE scopes_scope SET project_id = NULL WHERE project_id = %s", [project.pk])
        deleter.execute("DELETE FROM scopes_project WHERE id = %s", [project.pk])
        threads, results = _run_in_threads([lambda: editor.post(url, {"title": "Late", "project_id": str(project.pk)})])
        time.sleep(1.0)
        deleter.commit()
    threads[0].join(timeout=30)
    assert list(assert_error(results[0], 404, "not_found")) == ["project_id"]
    assert not Scope.objects.exists()


def test_deleting_a_project_while_a_scope_is_created_in_it_detaches_that_scope_too(member, workspace):
    from scopes.services.projects import delete_project
    from scopes.tests.factories import ProjectFactory

    editor = member("editor")
    project = ProjectFactory(workspace=workspace)
    with raw_connection() as creator:
        # What create_scope does: lock the project, insert the scope; the delete must wait and then detach it.
        creator.execute("SELECT id FROM scopes_project WHERE id = %s FOR UPDATE", [project.pk])
        scope = ScopeFactory.build(workspace=workspace)
        creator.execute(
            "INSERT INTO scopes_scope (id, created_at, updated_at, workspace_id, project_id, title, client_name,"
            " summary, status, ai_analysis, version) VALUES (%s, now(), now(), %s, %s, 'Racing', '', '', 'draft',"
            " '{}', 1)",
            [scope.pk, workspace.pk, project.pk],
        )
        threads, results = _run_in_threads([lambda: delete_project(project=project, actor=editor.user) or "done"])
        time.sleep(1.0)
        assert results == []
        creator.commit()
    threads[0].join(timeout=30)
    assert results == ["done"]
    assert Scope.objects.get(pk=scope.pk).project_id is None


def test_duplicating_a_scope_whose_project_is_being_deleted_makes_a_copy_without_it(member, workspace):
    from scopes.tests.factories import ProjectFactory

    editor = member("editor")
    workspace.plan = "team"
    workspace.save(update_fields=["plan"])
    scope = ScopeFactory(workspace=workspace, project=ProjectFactory(workspace=workspace))
    url = f"/api/workspaces/{workspace.pk}/scopes/{scope.pk}/duplicate/"
    with raw_connection() as deleter:
        deleter.execute("SELECT id FROM scopes_project WHERE id = %s FOR UPDATE", [scope.project_id])
        deleter.execute("UPDATE scopes_scope SET project_id = NULL WHERE project_id = %s", [scope.project_id])
        deleter.execute("DELETE FROM scopes_project WHERE id = %s", [scope.project_id])
        threads, results = _run_in_threads([lambda: editor.post(url, {})])
        time.sleep(1.0)
        deleter.commit()
    threads[0].join(timeout=30)
    assert results[0].status_code == 201, results[0].content
    assert results[0].json()["project"] is None
    assert not Scope.objects.exclude(project=None).exists()


def test_creating_a_scope_in_a_project_being_archived_does_not_deadlock(member, workspace):
    """create_scope locks the workspace, then the project; archiving the project updates its row, then records
    activity, whose foreign key takes KEY SHARE on the workspace row. A FOR UPDATE workspace lock conflicts with
    that and deadlocked the two (a 500, found by schemathesis); the plan lock must leave key-share alone."""
    from scopes.tests.factories import ProjectFactory

    editor = member("editor")
    project = ProjectFactory(workspace=workspace)
    url = f"/api/workspaces/{workspace.pk}/scopes/"
    with raw_connection() as archiver:
        archiver.execute("SET lock_timeout = '10s'")
        # What set_project_status does first: update the project row.
        archiver.execute("UPDATE scopes_project SET name = name WHERE id = %s", [project.pk])
        threads, results = _run_in_threads([lambda: editor.post(url, {"title": "In", "project_id": str(project.pk)})])
        time.sleep(1.0)  # the request now holds the workspace lock and waits for the project
        assert results == []
        # Then activity.record: the foreign key check of its insert.
        archiver.execute("SELECT 1 FROM workspaces_workspace WHERE id = %s FOR KEY SHARE", [workspace.pk])
        archiver.commit()
    for thread in threads:
        thread.join(timeout=30)
    assert [response.status_code for response in results] == [201]
