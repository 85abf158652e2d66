"""Scope.section_count and Scope.open_comment_count (scopes.counts) equal a fresh count of the rows after every
write path, driven through the API: scope create (blank, from a template), section add/delete/reorder, template
apply, duplicate, trash/restore, comment add/reply/resolve/reopen/delete, AI extraction. None of these writes
bumps the scope's version (ETag) or updated_at unless it did before the counts were stored."""

import pytest

from ai.tests.conftest import make_document
from scopes import counts
from scopes.models import Comment, Scope, ScopeSection
from scopes.tests.factories import ScopeFactory, ScopeSectionFactory
from templates.tests.factories import TemplateFactory

pytestmark = pytest.mark.django_db


def url(workspace, *parts):
    return "/".join([f"/api/workspaces/{workspace.pk}", *map(str, parts)]) + "/"


def fresh(scope_id) -> tuple[int, int]:
    """The counts as the list used to compute them: every section; comments neither deleted nor resolved."""
    return (
        ScopeSection.objects.filter(scope_id=scope_id).count(),
        Comment.objects.filter(scope_id=scope_id, deleted_at__isnull=True, resolved_at__isnull=True).count(),
    )


def stored(scope_id) -> tuple[int, int]:
    return tuple(Scope.objects.values_list("section_count", "open_comment_count").get(pk=scope_id))


def assert_counts(scope_id, expected: tuple[int, int]) -> None:
    """Stored == fresh == expected for this scope, and no scope anywhere has drifted."""
    assert fresh(scope_id) == expected
    assert stored(scope_id) == expected
    assert counts.drifted() == []


def stamp(scope_id) -> tuple:
    return tuple(Scope.objects.values_list("version", "updated_at").get(pk=scope_id))


@pytest.fixture
def editor(member, workspace):
    workspace.plan = "team"  # more than the Free plan's 3 scopes a month
    workspace.save(update_fields=["plan"])
    return member("editor")


def test_section_writes_keep_the_section_count(editor, workspace):
    template = TemplateFactory(workspace=workspace)  # two sections
    created = editor.post(url(workspace, "scopes"), {"title": "From template", "template_id": str(template.pk)})
    assert created.status_code == 201, created.json()
    scope_id = created.json()["id"]
    assert created.json()["section_count"] == 2
    assert_counts(scope_id, (2, 0))
    before = stamp(scope_id)

    added = editor.post(url(workspace, "scopes", scope_id, "sections"), {"title": "Third"})
    assert added.status_code == 201, added.json()
    assert_counts(scope_id, (3, 0))

    order = [row["id"] for row in editor.get(url(workspace, "scopes", scope_id, "sections")).json()][::-1]
    assert editor.post(url(workspace, "scopes", scope_id, "sections", "reorder"), {"order": order}).status_code == 200
    assert_counts(scope_id, (3, 0))

    assert editor.delete(url(workspace, "scopes", scope_id, "sections", order[-1])).status_code == 204  # Overview
    assert_counts(scope_id, (2, 0))

    applied = editor.post(url(workspace, "templates", template.pk, "apply"), {"scope_id": scope_id})
    assert applied.status_code == 200, applied.json()
    assert len(applied.json()["added"]) == 1  # the deleted one comes back; the other is a duplicate
    assert_counts(scope_id, (3, 0))
    assert stamp(scope_id) == before  # section writes never touched the scope's version or updated_at

    detail = editor.get(url(workspace, "scopes", scope_id)).json()
    assert (detail["section_count"], len(detail["sections"])) == (3, 3)
    listed = {row["id"]: row for row in editor.get(url(workspace, "scopes")).json()["results"]}
    assert listed[scope_id]["section_count"] == 3


def test_comment_writes_keep_the_open_comment_count(editor, member, workspace):
    owner = member("owner")
    scope = ScopeFactory(workspace=workspace)
    section = ScopeSectionFactory(scope=scope)
    comments = url(workspace, "scopes", scope.pk, "comments")
    before = stamp(scope.pk)

    def post(**body):
        response = editor.post(comments, body)
        assert response.status_code == 201, response.json()
        return response.json()["id"]

    root = post(body="On the scope")
    on_section = post(body="On the section", section_id=str(section.pk))
    reply = post(body="A reply", parent_id=root)
    assert_counts(scope.pk, (1, 3))

    assert editor.post(f"{comments}{root}/resolve/").status_code == 200
    assert_counts(scope.pk, (1, 2))  # the thread starter is resolved; its reply still counts, as it always did
    assert editor.post(f"{comments}{root}/resolve/").status_code == 200  # already resolved: nothing changes
    assert_counts(scope.pk, (1, 2))
    assert editor.post(f"{comments}{root}/unresolve/").status_code == 200
    assert_counts(scope.pk, (1, 3))

    assert owner.delete(f"{comments}{root}/").status_code == 204  # has a reply: kept, blanked, deleted_at set
    assert Comment.objects.filter(pk=root).exists()
    assert_counts(scope.pk, (1, 2))
    assert editor.post(f"{comments}{root}/resolve/").status_code == 200  # a deleted starter resolved: still 2
    assert_counts(scope.pk, (1, 2))
    assert editor.delete(f"{comments}{reply}/").status_code == 204  # the last reply takes the empty starter along
    assert not Comment.objects.filter(pk=root).exists()
    assert_counts(scope.pk, (1, 1))

    # A section's deletion keeps its discussion on the scope.
    assert editor.delete(url(workspace, "scopes", scope.pk, "sections", section.pk)).status_code == 204
    assert Comment.objects.get(pk=on_section).section_id is None
    assert_counts(scope.pk, (0, 1))
    assert editor.delete(f"{comments}{on_section}/").status_code == 204
    assert_counts(scope.pk, (0, 0))
    assert stamp(scope.pk) == before  # comment writes never touched the scope's version or updated_at


def test_duplicate_trash_and_restore(editor, workspace):
    scope = ScopeFactory(workspace=workspace)
    ScopeSectionFactory.create_batch(3, scope=scope)
    comments = url(workspace, "scopes", scope.pk, "comments")
    assert editor.post(comments, {"body": "Open"}).status_code == 201
    assert_counts(scope.pk, (3, 1))

    copy = editor.post(url(workspace, "scopes", scope.pk, "duplicate"), {})
    assert copy.status_code == 201, copy.json()
    assert (copy.json()["section_count"], copy.json()["open_comment_count"]) == (3, 0)  # comments are not copied
    assert_counts(copy.json()["id"], (3, 0))

    assert editor.delete(url(workspace, "scopes", scope.pk)).status_code == 204
    trashed = editor.get(url(workspace, "scopes", "trash")).json()["results"]
    assert [(row["section_count"], row["open_comment_count"]) for row in trashed] == [(3, 1)]
    assert editor.post(url(workspace, "scopes", scope.pk, "restore")).status_code == 200
    assert_counts(scope.pk, (3, 1))


def test_ai_extraction_counts_the_sections_it_drafted(editor, workspace, django_capture_on_commit_callbacks):
    brief = make_document(workspace)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(url(workspace, "ai", "extract"), {"document_ids": [str(brief.pk)]}, format="json")
    assert response.status_code == 202, response.json()
    run = editor.get(url(workspace, "ai", "runs", response.json()["id"])).json()
    assert run["status"] == "succeeded", run
    drafted = ScopeSection.objects.filter(scope_id=run["scope_id"]).count()
    assert drafted > 0
    assert_counts(run["scope_id"], (drafted, 0))
    assert editor.get(url(workspace, "scopes", run["scope_id"])).json()["section_count"] == drafted
