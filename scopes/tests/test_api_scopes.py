"""Scopes over the API: create (templates, projects, the monthly plan limit), detail and update, two editors
(If-Match), and null relations in the schema and the answers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orbit.testing import assert_error
from orbit.testing_state import unchanged
from scopes.models import Scope
from scopes.tests.factories import CommentFactory, FavouriteFactory, ProjectFactory, ScopeFactory, ScopeSectionFactory
from scopes.tests.scope_support import scopes_url, verbs
from templates.models import Template
from templates.tests.factories import TemplateFactory, seed_public_templates
from workspaces.models import ActivityEvent

pytestmark = pytest.mark.django_db


class TestCreate:
    def test_blank_scope_is_a_draft_with_etag_and_activity(self, member, workspace):
        editor = member("editor")
        response = editor.post(scopes_url(workspace), {"title": "Acme site", "summary": "A new site"})
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["status"] == "draft"
        assert body["version"] == 1
        assert body["sections"] == []
        assert body["created_by"]["id"] == str(editor.user.pk)
        assert response["ETag"] == '"1"'
        assert verbs(workspace) == ["scope.created"]

    def test_untitled_by_default(self, member, workspace):
        response = member("editor").post(scopes_url(workspace), {})
        assert response.status_code == 201
        assert response.json()["title"] == "Untitled scope"

    def test_from_public_template_copies_sections_in_order(self, member, workspace):
        seed_public_templates()
        template = Template.objects.public().get(name="Website redesign")
        response = member("editor").post(scopes_url(workspace), {"template_id": str(template.pk)})
        assert response.status_code == 201
        body = response.json()
        assert body["title"] == "Website redesign"
        assert [s["title"] for s in body["sections"]] == [s["title"] for s in template.sections]
        assert [s["position"] for s in body["sections"]] == list(range(len(template.sections)))

    def test_template_of_another_workspace_is_refused(self, member, workspace, other_workspace):
        template = TemplateFactory(workspace=other_workspace)
        response = member("editor").post(scopes_url(workspace), {"template_id": str(template.pk)})
        assert assert_error(response, 404, "not_found") == {"template_id": [str(template.pk)]}
        assert not Scope.objects.exists()

    def test_project_of_another_workspace_is_refused(self, member, workspace, other_workspace):
        project = ProjectFactory(workspace=other_workspace)
        response = member("editor").post(scopes_url(workspace), {"project_id": str(project.pk)})
        assert assert_error(response, 404, "not_found") == {"project_id": [str(project.pk)]}
        assert not Scope.objects.exists()

    def test_plan_limit_counts_trashed_scopes_this_month(self, member, workspace):
        editor = member("editor")
        for _ in range(3):  # Free: 3 per month
            assert editor.post(scopes_url(workspace), {}).status_code == 201
        editor.delete(scopes_url(workspace, Scope.objects.first().pk))
        response = editor.post(scopes_url(workspace), {})
        assert response.status_code == 402
        error = response.json()["error"]
        assert error["code"] == "plan_limit_exceeded"
        assert error["details"]["limit"] == 3
        assert error["details"]["usage"] == 3
        assert Scope.objects.count() == 3

    def test_last_months_scopes_do_not_count(self, member, workspace):
        old = ScopeFactory.create_batch(3, workspace=workspace)
        Scope.objects.filter(pk__in=[s.pk for s in old]).update(created_at=timezone.now() - timedelta(days=40))
        assert member("editor").post(scopes_url(workspace), {}).status_code == 201


class TestDetailAndUpdate:
    def test_detail_has_ordered_sections_and_etag(self, member, workspace):
        scope = ScopeFactory(workspace=workspace)
        second = ScopeSectionFactory(scope=scope, position=1, title="Second")
        first = ScopeSectionFactory(scope=scope, position=0, title="First")
        response = member("viewer").get(scopes_url(workspace, scope.pk))
        assert response.status_code == 200
        assert [s["id"] for s in response.json()["sections"]] == [str(first.pk), str(second.pk)]
        assert response["ETag"] == f'"{scope.version}"'

    def test_detail_query_count_with_50_sections_and_100_comments(self, member, workspace, django_assert_num_queries):
        viewer = member("viewer")
        scope = ScopeFactory(workspace=workspace)
        sections = ScopeSectionFactory.create_batch(50, scope=scope)
        for index in range(100):
            CommentFactory(scope=scope, section=sections[index % 50])
        FavouriteFactory(scope=scope, user=viewer.user)
        # auth user + membership (one query), the scope with flags and counts, its sections with comment counts
        with django_assert_num_queries(3):
            response = viewer.get(scopes_url(workspace, scope.pk))
        body = response.json()
        assert len(body["sections"]) == 50
        assert body["open_comment_count"] == 100
        assert body["is_favourite"]
        assert sum(section["comment_count"] for section in body["sections"]) == 100

    def test_patch_bumps_version_and_records_activity(self, member, workspace):
        scope = ScopeFactory(workspace=workspace)
        response = member("editor").patch(scopes_url(workspace, scope.pk), {"title": "Renamed"})
        assert response.status_code == 200
        assert response.json()["title"] == "Renamed"
        assert response.json()["version"] == 2
        assert response["ETag"] == '"2"'
        assert verbs(workspace) == ["scope.updated"]

    def test_put_replaces_editable_fields(self, member, workspace):
        scope = ScopeFactory(workspace=workspace, summary="Old", client_name="Old client")
        response = member("editor").put(scopes_url(workspace, scope.pk), {"title": "New"})
        assert response.status_code == 200
        assert (response.json()["summary"], response.json()["client_name"]) == ("", "")

    def test_invalid_update_is_400(self, member, workspace):
        scope, editor = ScopeFactory(workspace=workspace), member("editor")
        with unchanged(Scope.objects.all(), ActivityEvent.objects.all()):
            assert "title" in assert_error(
                editor.patch(scopes_url(workspace, scope.pk), {"title": ""}), 400, "validation_error"
            )

    def test_status_is_not_editable_by_patch(self, member, workspace):
        scope = ScopeFactory(workspace=workspace)
        member("editor").patch(scopes_url(workspace, scope.pk), {"status": "sent"})
        scope.refresh_from_db()
        assert scope.status == Scope.Status.DRAFT


class TestTwoEditors:
    def test_second_save_on_a_stale_version_is_412_then_retry_succeeds(self, member, workspace):
        alice, bob = member("editor"), member("editor")
        scope = ScopeFactory(workspace=workspace, title="Original")
        url = scopes_url(workspace, scope.pk)
        alice_etag, bob_etag = alice.get(url)["ETag"], bob.get(url)["ETag"]

        assert alice.patch(url, {"title": "Alice's"}, HTTP_IF_MATCH=alice_etag).status_code == 200
        lost = bob.patch(url, {"summary": "Bob's"}, HTTP_IF_MATCH=bob_etag)
        assert lost.status_code == 412
        assert lost.json()["error"]["code"] == "precondition_failed"
        assert lost.json()["error"]["details"]["current_version"] == 2

        fresh = bob.get(url)
        assert fresh.json()["title"] == "Alice's"
        retried = bob.patch(url, {"summary": "Bob's"}, HTTP_IF_MATCH=fresh["ETag"])
        assert retried.status_code == 200
        assert retried["ETag"] == '"3"'
        scope.refresh_from_db()
        assert (scope.title, scope.summary, scope.version) == ("Alice's", "Bob's", 3)

    def test_a_put_on_a_stale_version_is_412_too(self, member, workspace):
        scope = ScopeFactory(workspace=workspace, version=4, title="Kept")
        stale = member("editor").put(scopes_url(workspace, scope.pk), {"title": "Lost"}, HTTP_IF_MATCH='"3"')
        assert assert_error(stale, 412, "precondition_failed") == {"expected_version": 3, "current_version": 4}
        assert stale["ETag"] == '"4"'
        scope.refresh_from_db()
        assert (scope.title, scope.version) == ("Kept", 4)

    def test_transition_honours_if_match(self, member, workspace):
        scope = ScopeFactory(workspace=workspace, version=4)
        url = scopes_url(workspace, scope.pk, "transition")
        stale = member("editor").post(url, {"status": "in_review"}, HTTP_IF_MATCH='"3"')
        assert assert_error(stale, 412, "precondition_failed")["current_version"] == 4
        scope.refresh_from_db()
        assert (scope.status, scope.version) == ("draft", 4)
        assert member("editor").post(url, {"status": "in_review"}, HTTP_IF_MATCH='W/"4"').status_code == 200


def test_an_empty_patch_changes_nothing(member, workspace):
    scope = ScopeFactory(workspace=workspace)
    response = member("editor").patch(scopes_url(workspace, scope.pk), {}, HTTP_IF_MATCH='"1"')
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert not ActivityEvent.objects.exists()


@pytest.fixture(scope="module")
def openapi_components():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]


@pytest.mark.parametrize(
    ("component", "field"),
    [("Scope", "project"), ("Scope", "created_by"), ("Reply", "author"), ("Reply", "resolved_by")],
)
def test_nullable_relations_are_nullable_in_the_schema(openapi_components, component, field):
    """A scope without a project, a comment whose author left: the API answers null, the schema must allow it."""
    assert {"type": "null"} in openapi_components[component]["properties"][field]["oneOf"]  # OpenAPI 3.1


@pytest.mark.django_db
def test_a_scope_without_project_or_creator_answers_null(member, workspace):
    scope = ScopeFactory(workspace=workspace, project=None, created_by=None)
    body = member("viewer").get(f"/api/workspaces/{workspace.pk}/scopes/{scope.pk}/").json()
    assert (body["project"], body["created_by"]) == (None, None)
