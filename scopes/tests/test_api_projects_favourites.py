import pytest

from orbit.testing import assert_error
from scopes.models import Favourite, Project, Scope
from scopes.tests.factories import FavouriteFactory, ProjectFactory, ScopeFactory
from workspaces.models import ActivityEvent

pytestmark = pytest.mark.django_db


def url(workspace, *parts):
    return "/".join([f"/api/workspaces/{workspace.pk}", *map(str, parts)]) + "/"


class TestProjects:
    def test_crud(self, member, workspace):
        editor = member("editor")
        created = editor.post(url(workspace, "projects"), {"name": "Acme", "client_name": "Acme Ltd"})
        assert created.status_code == 201, created.json()
        project_url = url(workspace, "projects", created.json()["id"])
        assert editor.get(project_url).json()["client_name"] == "Acme Ltd"
        assert editor.patch(project_url, {"description": "Relaunch"}).json()["description"] == "Relaunch"
        replaced = editor.put(project_url, {"name": "Acme 2"}).json()
        assert (replaced["name"], replaced["description"], replaced["client_name"]) == ("Acme 2", "", "")
        assert editor.delete(project_url).status_code == 204
        assert not Project.objects.exists()
        assert ActivityEvent.objects.filter(verb__startswith="project.").count() == 4

    def test_deleting_a_project_keeps_its_scopes(self, member, workspace):
        project = ProjectFactory(workspace=workspace)
        scope = ScopeFactory(workspace=workspace, project=project)
        member("editor").delete(url(workspace, "projects", project.pk))
        scope.refresh_from_db()
        assert scope.project is None

    def test_archive_unarchive_and_filter(self, member, workspace):
        editor = member("editor")
        project, other = ProjectFactory(workspace=workspace), ProjectFactory(workspace=workspace)
        response = editor.post(url(workspace, "projects", project.pk, "archive"))
        assert response.json()["status"] == "archived"
        listed = editor.get(url(workspace, "projects") + "?status=active").json()["results"]
        assert [row["id"] for row in listed] == [str(other.pk)]
        assert editor.post(url(workspace, "projects", project.pk, "unarchive")).json()["status"] == "active"

    def test_name_is_required(self, member, workspace):
        refused = member("editor").post(url(workspace, "projects"), {"name": ""})
        assert "name" in assert_error(refused, 400, "validation_error")
        assert not Project.objects.exists()

    @pytest.mark.parametrize("rows", [1, 30])
    def test_list_query_count_is_constant(self, member, workspace, django_assert_num_queries, rows):
        viewer = member("viewer")
        ProjectFactory.create_batch(rows, workspace=workspace)
        with django_assert_num_queries(2):
            assert len(viewer.get(url(workspace, "projects") + "?limit=100").json()["results"]) == rows


class TestFavourites:
    def test_add_is_idempotent_and_sets_the_flag(self, member, workspace):
        editor = member("editor")
        scope = ScopeFactory(workspace=workspace)
        first = editor.post(url(workspace, "favourites"), {"scope_id": str(scope.pk)})
        assert first.status_code == 201
        assert first.json()["scope"]["is_favourite"] is True
        again = editor.post(url(workspace, "favourites"), {"scope_id": str(scope.pk)})
        assert again.status_code == 200
        assert again.json()["id"] == first.json()["id"]
        assert Favourite.objects.count() == 1
        assert editor.get(url(workspace, "scopes", scope.pk)).json()["is_favourite"] is True
        # Favourites are personal.
        assert member("editor").get(url(workspace, "scopes", scope.pk)).json()["is_favourite"] is False

    def test_remove_is_idempotent(self, member, workspace):
        editor = member("editor")
        favourite = FavouriteFactory(workspace=workspace, user=editor.user)
        remove_url = url(workspace, "favourites", favourite.scope_id)
        assert editor.delete(remove_url).status_code == 204
        assert editor.delete(remove_url).status_code == 204
        assert not Favourite.objects.exists()

    def test_remove_only_touches_own_favourite(self, member, workspace):
        favourite = FavouriteFactory(workspace=workspace)  # the owner's
        assert member("editor").delete(url(workspace, "favourites", favourite.scope_id)).status_code == 204
        assert Favourite.objects.filter(pk=favourite.pk).exists()

    def test_list_is_mine_in_this_workspace_live_scopes_only(self, member, workspace, other_workspace):
        editor = member("editor")
        mine = FavouriteFactory(workspace=workspace, user=editor.user)
        FavouriteFactory(workspace=workspace)  # someone else's
        trashed = FavouriteFactory(workspace=workspace, user=editor.user)
        Scope.objects.filter(pk=trashed.scope_id).update(deleted_at="2026-01-01T00:00:00Z")
        rows = editor.get(url(workspace, "favourites")).json()["results"]
        assert [row["scope"]["id"] for row in rows] == [str(mine.scope_id)]

    def test_scope_of_another_workspace_is_404(self, member, workspace, other_workspace):
        scope = ScopeFactory(workspace=other_workspace)
        response = member("editor").post(url(workspace, "favourites"), {"scope_id": str(scope.pk)})
        assert_error(response, 404, "not_found")
        assert not Favourite.objects.exists()

    @pytest.mark.parametrize("rows", [1, 30])
    def test_list_query_count_is_constant(self, member, workspace, django_assert_num_queries, rows):
        viewer = member("viewer")
        for scope in ScopeFactory.create_batch(rows, workspace=workspace, project=ProjectFactory(workspace=workspace)):
            FavouriteFactory(scope=scope, user=viewer.user)
        # auth user + membership (one query), favourites page, their scopes with flags and counts
        with django_assert_num_queries(3):
            assert len(viewer.get(url(workspace, "favourites") + "?limit=100").json()["results"]) == rows
