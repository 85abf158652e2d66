"""SPEC §3 role table for this app's writes: owner, admin and editor may; a viewer gets 403; an outsider 404.

(The isolation matrix in workspaces/tests proves 404/403 for every route; this adds the "may" column.)
"""

import pytest

from scopes.models import Scope
from scopes.tests.factories import CommentFactory, ProjectFactory, ScopeFactory, ScopeSectionFactory
from templates.tests.factories import TemplateFactory

pytestmark = pytest.mark.django_db


def _cases(workspace, actor):
    """(method, url, body, expected success status) for every write, on fresh objects."""
    base = f"/api/workspaces/{workspace.pk}"
    scope = ScopeFactory(workspace=workspace)
    section = ScopeSectionFactory(scope=scope)
    project = ProjectFactory(workspace=workspace)
    own_comment = CommentFactory(scope=scope, author=actor)
    template = TemplateFactory(workspace=workspace)
    trashed = ScopeFactory(workspace=workspace, deleted_at="2026-01-01T00:00:00Z")
    s = f"{base}/scopes/{scope.pk}"
    return [
        ("post", f"{base}/projects/", {"name": "P"}, 201),
        ("patch", f"{base}/projects/{project.pk}/", {"name": "P2"}, 200),
        ("post", f"{base}/projects/{project.pk}/archive/", {}, 200),
        ("post", f"{base}/projects/{project.pk}/unarchive/", {}, 200),
        ("patch", f"{s}/", {"title": "T"}, 200),
        ("put", f"{s}/", {"title": "T"}, 200),
        ("post", f"{s}/transition/", {"status": "in_review"}, 200),
        ("post", f"{base}/scopes/{trashed.pk}/restore/", {}, 200),
        ("post", f"{s}/sections/reorder/", {"order": [str(section.pk)]}, 200),
        ("post", f"{s}/sections/", {"title": "New"}, 201),
        ("patch", f"{s}/sections/{section.pk}/", {"content": "x"}, 200),
        ("post", f"{s}/comments/", {"body": "hello"}, 201),
        ("patch", f"{s}/comments/{own_comment.pk}/", {"body": "edited"}, 200),
        ("post", f"{s}/comments/{own_comment.pk}/resolve/", {}, 200),
        ("post", f"{base}/templates/", {"name": "Mine"}, 201),
        ("post", f"{base}/templates/", {"scope_id": str(scope.pk)}, 201),
        ("patch", f"{base}/templates/{template.pk}/", {"name": "Renamed"}, 200),
        ("post", f"{base}/templates/{template.pk}/apply/", {"scope_id": str(scope.pk)}, 200),
        ("delete", f"{s}/comments/{own_comment.pk}/", None, 204),
        ("delete", f"{s}/sections/{section.pk}/", None, 204),
        ("delete", f"{base}/templates/{template.pk}/", None, 204),
        ("delete", f"{base}/projects/{project.pk}/", None, 204),
        ("delete", f"{s}/", None, 204),
    ]


@pytest.mark.parametrize("role", ["owner", "admin", "editor"])
def test_writers_may_write(member, workspace, role):
    workspace.plan = "team"  # creating scopes is not what this test is about
    workspace.save(update_fields=["plan"])
    client = member(role)
    for method, url, body, expected in _cases(workspace, client.user):
        response = getattr(client, method)(url, body) if body is not None else getattr(client, method)(url)
        assert response.status_code == expected, f"{role} {method.upper()} {url}: {response.content[:300]}"
    for method, url in (("post", f"/api/workspaces/{workspace.pk}/scopes/"),):
        assert getattr(client, method)(url, {}).status_code == 201
    duplicate_from = Scope.objects.filter(workspace=workspace, deleted_at__isnull=True).first()
    assert client.post(f"/api/workspaces/{workspace.pk}/scopes/{duplicate_from.pk}/duplicate/", {}).status_code == 201


def test_viewer_may_only_read(member, workspace):
    viewer = member("viewer")
    for method, url, body, _expected in _cases(workspace, viewer.user):
        response = getattr(viewer, method)(url, body) if body is not None else getattr(viewer, method)(url)
        assert response.status_code == 403, f"viewer {method.upper()} {url}"
        assert response.json()["error"]["code"] == "permission_denied"
    assert viewer.get(f"/api/workspaces/{workspace.pk}/scopes/").status_code == 200


def test_outsider_gets_404_everywhere(member, workspace, other_workspace):
    outsider = member("owner", in_workspace=other_workspace)
    for method, url, body, _expected in _cases(workspace, outsider.user):
        response = getattr(outsider, method)(url, body) if body is not None else getattr(outsider, method)(url)
        assert response.status_code == 404, f"outsider {method.upper()} {url}"


@pytest.mark.parametrize("role", ["owner", "admin", "editor", "viewer"])
def test_every_member_may_keep_favourites(member, workspace, role):
    client = member(role)
    scope = ScopeFactory(workspace=workspace)
    base = f"/api/workspaces/{workspace.pk}/favourites/"
    assert client.post(base, {"scope_id": str(scope.pk)}).status_code == 201
    assert client.delete(f"{base}{scope.pk}/").status_code == 204
