"""SPEC §3 role table for this app's writes: owner, admin and editor may; a viewer gets 403; an outsider 404 —
each write its own case, and a refusal changes nothing.

(The isolation matrix in workspaces/tests proves 404/403 for every route with empty bodies; this sends real
bodies, so the "may" column is proven with successes.)
"""

import pytest

from orbit.testing import assert_error
from scopes.models import Comment, Project, Scope, ScopeSection
from scopes.tests.factories import CommentFactory, ProjectFactory, ScopeFactory, ScopeSectionFactory
from templates.models import Template
from templates.tests.factories import TemplateFactory

pytestmark = pytest.mark.django_db

# name -> (method, path under the workspace, body, success status). Placeholders: the objects of `objects()`.
WRITES = {
    "create project": ("post", "projects/", {"name": "P"}, 201),
    "update project": ("patch", "projects/{project}/", {"name": "P2"}, 200),
    "archive project": ("post", "projects/{project}/archive/", {}, 200),
    "unarchive project": ("post", "projects/{project}/unarchive/", {}, 200),
    "delete project": ("delete", "projects/{project}/", None, 204),
    "create scope": ("post", "scopes/", {}, 201),
    "patch scope": ("patch", "scopes/{scope}/", {"title": "T"}, 200),
    "put scope": ("put", "scopes/{scope}/", {"title": "T"}, 200),
    "transition scope": ("post", "scopes/{scope}/transition/", {"status": "in_review"}, 200),
    "duplicate scope": ("post", "scopes/{scope}/duplicate/", {}, 201),
    "restore scope": ("post", "scopes/{trashed}/restore/", {}, 200),
    "delete scope": ("delete", "scopes/{scope}/", None, 204),
    "reorder sections": ("post", "scopes/{scope}/sections/reorder/", {"order": ["{section}"]}, 200),
    "create section": ("post", "scopes/{scope}/sections/", {"title": "New"}, 201),
    "update section": ("patch", "scopes/{scope}/sections/{section}/", {"content": "x"}, 200),
    "delete section": ("delete", "scopes/{scope}/sections/{section}/", None, 204),
    "comment": ("post", "scopes/{scope}/comments/", {"body": "hello"}, 201),
    "edit own comment": ("patch", "scopes/{scope}/comments/{comment}/", {"body": "edited"}, 200),
    "resolve own comment": ("post", "scopes/{scope}/comments/{comment}/resolve/", {}, 200),
    "delete own comment": ("delete", "scopes/{scope}/comments/{comment}/", None, 204),
    "create template": ("post", "templates/", {"name": "Mine"}, 201),
    "template from scope": ("post", "templates/", {"scope_id": "{scope}"}, 201),
    "update template": ("patch", "templates/{template}/", {"name": "Renamed"}, 200),
    "apply template": ("post", "templates/{template}/apply/", {"scope_id": "{scope}"}, 200),
    "delete template": ("delete", "templates/{template}/", None, 204),
}


def objects(workspace, actor) -> dict:
    scope = ScopeFactory(workspace=workspace)
    return {
        "scope": scope,
        "section": ScopeSectionFactory(scope=scope),
        "project": ProjectFactory(workspace=workspace),
        "comment": CommentFactory(scope=scope, author=actor),
        "template": TemplateFactory(workspace=workspace),
        "trashed": ScopeFactory(workspace=workspace, deleted_at="2026-01-01T00:00:00Z"),
    }


def fill(value, made: dict):
    if isinstance(value, str):
        return value.format(**{name: obj.pk for name, obj in made.items()})
    if isinstance(value, list):
        return [fill(item, made) for item in value]
    if isinstance(value, dict):
        return {key: fill(item, made) for key, item in value.items()}
    return value


def send(client, workspace, write: str, made: dict):
    method, path, body, _ = WRITES[write]
    url = f"/api/workspaces/{workspace.pk}/{fill(path, made)}"
    return (
        getattr(client, method)(url, fill(body, made), format="json")
        if body is not None
        else getattr(client, method)(url)
    )


def state(workspace) -> list:
    """Every row a write above could touch, whole, to compare before and after a refusal."""
    return [
        list(model.objects.filter(**{lookup: workspace}).order_by("pk").values())
        for model, lookup in (
            (Project, "workspace"),
            (Scope, "workspace"),
            (ScopeSection, "scope__workspace"),
            (Comment, "scope__workspace"),
            (Template, "workspace"),
        )
    ]


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("role", ["owner", "admin", "editor"])
def test_writers_may_write(member, workspace, role, write):
    workspace.plan = "team"  # creating scopes is not what this test is about
    workspace.save(update_fields=["plan"])
    client = member(role)
    response = send(client, workspace, write, objects(workspace, client.user))
    assert response.status_code == WRITES[write][3], f"{role} {write}: {response.content[:300]}"


@pytest.mark.parametrize("write", WRITES)
def test_viewer_may_not_write_and_nothing_changes(member, workspace, write):
    viewer = member("viewer")
    made = objects(workspace, viewer.user)
    before = state(workspace)
    assert_error(send(viewer, workspace, write, made), 403, "permission_denied")
    assert state(workspace) == before


def test_viewer_may_read(member, workspace):
    assert member("viewer").get(f"/api/workspaces/{workspace.pk}/scopes/").status_code == 200


@pytest.mark.parametrize("write", WRITES)
def test_outsider_gets_404_and_nothing_changes(member, workspace, other_workspace, write):
    outsider = member("owner", in_workspace=other_workspace)
    made = objects(workspace, outsider.user)
    before = state(workspace)
    assert_error(send(outsider, workspace, write, made), 404, "not_found")
    assert state(workspace) == before


@pytest.mark.parametrize("role", ["owner", "admin", "editor", "viewer"])
def test_every_member_may_keep_favourites(member, workspace, role):
    client = member(role)
    scope = ScopeFactory(workspace=workspace)
    base = f"/api/workspaces/{workspace.pk}/favourites/"
    assert client.post(base, {"scope_id": str(scope.pk)}).status_code == 201
    assert scope.favourites.filter(user=client.user).exists()
    assert client.delete(f"{base}{scope.pk}/").status_code == 204
    assert not scope.favourites.filter(user=client.user).exists()
