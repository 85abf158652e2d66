import pytest

from orbit.testing import assert_error
from orbit.testing_state import unchanged
from scopes.models import Comment
from scopes.tests.factories import CommentFactory, ScopeFactory, ScopeSectionFactory
from workspaces.models import ActivityEvent

pytestmark = pytest.mark.django_db


def comments_url(scope, *parts):
    return "/".join([f"/api/workspaces/{scope.workspace_id}/scopes/{scope.pk}/comments", *map(str, parts)]) + "/"


def test_list_as_threads_oldest_first(member, workspace):
    scope = ScopeFactory(workspace=workspace)
    first = CommentFactory(scope=scope, body="first")
    second = CommentFactory(scope=scope, body="second")
    reply = CommentFactory(scope=scope, parent=first, body="reply")
    response = member("viewer").get(comments_url(scope))
    assert response.status_code == 200
    threads = response.json()["results"]
    assert [t["id"] for t in threads] == [str(first.pk), str(second.pk)]
    assert [r["id"] for r in threads[0]["replies"]] == [str(reply.pk)]
    assert threads[1]["replies"] == []


@pytest.mark.parametrize("threads", [1, 20])
def test_list_query_count_is_constant(member, workspace, django_assert_num_queries, threads):
    viewer = member("viewer")
    scope = ScopeFactory(workspace=workspace)
    for _ in range(threads):
        root = CommentFactory(scope=scope)
        CommentFactory.create_batch(3, scope=scope, parent=root)
    # auth user + membership (one query), scope, page of threads (authors joined), replies (authors joined)
    with django_assert_num_queries(4):
        response = viewer.get(comments_url(scope) + "?limit=100")
    assert len(response.json()["results"]) == threads


def test_filters_by_section_and_resolution(member, workspace):
    scope = ScopeFactory(workspace=workspace)
    section = ScopeSectionFactory(scope=scope)
    on_section = CommentFactory(scope=scope, section=section)
    resolved = CommentFactory(scope=scope)
    member("owner").post(comments_url(scope, resolved.pk, "resolve"))
    viewer = member("viewer")
    assert [t["id"] for t in viewer.get(comments_url(scope) + f"?section={section.pk}").json()["results"]] == [
        str(on_section.pk)
    ]
    assert [t["id"] for t in viewer.get(comments_url(scope) + "?resolved=true").json()["results"]] == [str(resolved.pk)]
    assert [t["id"] for t in viewer.get(comments_url(scope) + "?resolved=false").json()["results"]] == [
        str(on_section.pk)
    ]


def test_editor_adds_comments_and_replies(member, workspace):
    editor = member("editor")
    scope = ScopeFactory(workspace=workspace)
    section = ScopeSectionFactory(scope=scope)
    root = editor.post(comments_url(scope), {"body": "Is the budget right?", "section_id": str(section.pk)})
    assert root.status_code == 201, root.json()
    assert root.json()["author"]["id"] == str(editor.user.pk)
    reply = editor.post(comments_url(scope), {"body": "Yes", "parent_id": root.json()["id"]})
    assert reply.status_code == 201
    assert reply.json()["parent_id"] == root.json()["id"]
    assert reply.json()["section_id"] == str(section.pk)  # a reply sits where its thread sits
    events = ActivityEvent.objects.filter(verb="comment.added")
    assert events.count() == 2
    # On the scope's own feed, with the comment in the metadata.
    assert {(e.target_type, e.target_id) for e in events} == {("scopes.scope", str(scope.pk))}
    assert {e.metadata["comment_id"] for e in events} == {root.json()["id"], reply.json()["id"]}


def test_invalid_comments_are_400(member, workspace):
    scope = ScopeFactory(workspace=workspace)
    response = member("editor").post(comments_url(scope), {"body": "  "})
    assert "body" in assert_error(response, 400, "validation_error")
    assert not Comment.objects.exists()


def test_a_section_not_in_this_scope_is_404_naming_it(member, workspace):
    """An id in a body that is not here: 404 `not_found` naming the field and the id (was a 400)."""
    scope = ScopeFactory(workspace=workspace)
    missing = "5b1f4a44-3d1e-4d43-a7b4-1f0c2f0f1c11"
    response = member("editor").post(comments_url(scope), {"body": "x", "section_id": missing})
    assert assert_error(response, 404, "not_found") == {"section_id": [missing]}
    assert not Comment.objects.exists()


def test_replies_are_one_level_deep(member, workspace):
    scope = ScopeFactory(workspace=workspace)
    reply = CommentFactory(scope=scope, parent=CommentFactory(scope=scope))
    response = member("editor").post(comments_url(scope), {"body": "x", "parent_id": str(reply.pk)})
    assert "parent_id" in assert_error(response, 400, "validation_error")
    assert Comment.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "make"),
    [
        ("parent_id", lambda ws: CommentFactory(scope=ScopeFactory(workspace=ws)).pk),
        ("section_id", lambda ws: ScopeSectionFactory(scope=ScopeFactory(workspace=ws)).pk),
        ("parent_id", lambda ws: "00000000-0000-0000-0000-000000000000"),
        ("section_id", lambda ws: "00000000-0000-0000-0000-000000000000"),
    ],
    ids=["parent-of-another-scope", "section-of-another-scope", "unknown-parent", "unknown-section"],
)
def test_ids_outside_this_scope_are_refused(member, workspace, field, make):
    """Checked once, in scopes.services.comments.add_comment (the view no longer repeats the lookups)."""
    scope = ScopeFactory(workspace=workspace)
    value = str(make(workspace))
    before = Comment.objects.count()
    response = member("editor").post(comments_url(scope), {"body": "x", field: value})
    assert assert_error(response, 404, "not_found") == {field: [value]}
    assert Comment.objects.count() == before


def test_viewer_reads_but_cannot_comment(member, workspace):
    viewer = member("viewer")
    scope = ScopeFactory(workspace=workspace)
    assert viewer.get(comments_url(scope)).status_code == 200
    response = viewer.post(comments_url(scope), {"body": "hi"})
    assert_error(response, 403, "permission_denied")
    assert not Comment.objects.exists()


class TestEditDeleteResolve:
    @pytest.mark.parametrize("intruder_role", ["editor", "admin"])
    def test_only_the_author_edits(self, member, workspace, intruder_role):
        author, intruder = member("editor"), member(intruder_role)
        comment = CommentFactory(workspace=workspace, author=author.user)
        url = comments_url(comment.scope, comment.pk)
        with unchanged(Comment.objects.all(), ActivityEvent.objects.all()):
            assert_error(intruder.patch(url, {"body": "hijack"}), 403, "permission_denied")
        response = author.patch(url, {"body": "fixed typo"})
        assert response.status_code == 200
        assert response.json()["body"] == "fixed typo"
        replaced = author.put(url, {"body": "rewritten"})  # PUT: the whole of what an author may change
        assert replaced.status_code == 200
        assert replaced.json()["body"] == "rewritten"

    @pytest.mark.parametrize(
        ("who", "allowed"), [("author", True), ("editor", False), ("admin", True), ("owner", True)]
    )
    def test_delete_by_author_or_moderator(self, member, workspace, who, allowed):
        author = member("editor")
        comment = CommentFactory(workspace=workspace, author=author.user)
        client = author if who == "author" else member(who)
        response = client.delete(comments_url(comment.scope, comment.pk))
        if allowed:
            assert response.status_code == 204
        else:
            assert_error(response, 403, "permission_denied")
        assert Comment.objects.filter(pk=comment.pk).exists() is not allowed

    def test_deleted_comment_with_replies_keeps_its_place(self, member, workspace):
        author = member("editor")
        scope = ScopeFactory(workspace=workspace)
        root = CommentFactory(scope=scope, author=author.user, body="secret")
        reply = CommentFactory(scope=scope, parent=root)
        assert author.delete(comments_url(scope, root.pk)).status_code == 204
        thread = author.get(comments_url(scope)).json()["results"][0]
        assert thread["id"] == str(root.pk)
        assert thread["is_deleted"] is True
        assert thread["body"] == ""
        assert [r["id"] for r in thread["replies"]] == [str(reply.pk)]
        # Replying to a deleted comment is refused; deleting its last reply removes the empty thread.
        refused = author.post(comments_url(scope), {"body": "x", "parent_id": str(root.pk)})
        assert "parent_id" in assert_error(refused, 400, "validation_error")
        assert Comment.objects.count() == 2
        assert member("owner").delete(comments_url(scope, reply.pk)).status_code == 204
        assert not Comment.objects.exists()

    @pytest.mark.parametrize(
        ("who", "allowed"), [("author", True), ("editor", False), ("admin", True), ("owner", True)]
    )
    def test_resolve_by_author_or_moderator(self, member, workspace, who, allowed):
        author = member("editor")
        comment = CommentFactory(workspace=workspace, author=author.user)
        client = author if who == "author" else member(who)
        response = client.post(comments_url(comment.scope, comment.pk, "resolve"))
        if allowed:
            assert response.status_code == 200
        else:
            assert_error(response, 403, "permission_denied")
        comment.refresh_from_db()
        assert (comment.resolved_at is not None) is allowed
        if allowed:
            assert response.json()["resolved_by"]["id"] == str(client.user.pk)
            assert ActivityEvent.objects.filter(verb="comment.resolved").count() == 1
            unresolved = client.post(comments_url(comment.scope, comment.pk, "unresolve"))
            assert unresolved.status_code == 200
            assert unresolved.json()["resolved_at"] is None

    def test_viewer_cannot_resolve_even_own_comment(self, member, workspace):
        viewer = member("viewer")
        comment = CommentFactory(workspace=workspace, author=viewer.user)
        assert_error(viewer.post(comments_url(comment.scope, comment.pk, "resolve")), 403, "permission_denied")
        comment.refresh_from_db()
        assert comment.resolved_at is None

    def test_replies_are_resolved_through_their_thread(self, member, workspace):
        scope = ScopeFactory(workspace=workspace)
        reply = CommentFactory(scope=scope, parent=CommentFactory(scope=scope))
        assert_error(member("owner").post(comments_url(scope, reply.pk, "resolve")), 400, "validation_error")
        reply.refresh_from_db()
        assert reply.resolved_at is None
