import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from orbit.testing import assert_error
from scopes import search
from scopes.cleanup import cleanup
from scopes.models import Scope, ScopeSection
from scopes.tests.factories import CommentFactory, FavouriteFactory, ProjectFactory, ScopeFactory, ScopeSectionFactory
from templates.models import Template
from templates.tests.factories import TemplateFactory, seed_public_templates
from workspaces.models import ActivityEvent

pytestmark = pytest.mark.django_db


def scopes_url(workspace, *parts):
    return "/".join([f"/api/workspaces/{workspace.pk}/scopes", *map(str, parts)]) + "/"


def verbs(workspace):
    return list(ActivityEvent.objects.filter(workspace=workspace).order_by("created_at").values_list("verb", flat=True))


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


class TestListAndFilters:
    def test_lists_live_scopes_with_flags_and_counts(self, member, workspace):
        viewer = member("viewer")
        scope = ScopeFactory(workspace=workspace)
        ScopeSectionFactory.create_batch(2, scope=scope)
        CommentFactory(scope=scope)
        CommentFactory(scope=scope, resolved_at=timezone.now())
        FavouriteFactory(scope=scope, user=viewer.user)
        ScopeFactory(workspace=workspace, deleted_at=timezone.now())
        rows = viewer.get(scopes_url(workspace)).json()["results"]
        assert len(rows) == 1
        assert rows[0]["is_favourite"] is True
        assert rows[0]["section_count"] == 2
        assert rows[0]["open_comment_count"] == 1

    def test_filters(self, member, workspace):
        editor = member("editor")
        project = ProjectFactory(workspace=workspace)
        mine = ScopeFactory(workspace=workspace, created_by=editor.user, project=project)
        approved = ScopeFactory(workspace=workspace, status=Scope.Status.APPROVED)
        FavouriteFactory(scope=approved, user=editor.user)

        def ids(query):
            response = editor.get(scopes_url(workspace) + query)
            assert response.status_code == 200, response.json()
            return {row["id"] for row in response.json()["results"]}

        assert ids(f"?project={project.pk}") == {str(mine.pk)}
        assert ids(f"?created_by={editor.user.pk}") == {str(mine.pk)}
        assert ids("?status=approved") == {str(approved.pk)}
        assert ids("?status=approved&status=draft") == {str(approved.pk), str(mine.pk)}
        assert ids("?favourite=true") == {str(approved.pk)}
        assert ids("?favourite=false") == {str(mine.pk)}

    def test_bad_filter_and_ordering_values_are_400(self, member, workspace):
        viewer = member("viewer")
        assert "status" in assert_error(viewer.get(scopes_url(workspace) + "?status=lost"), 400, "validation_error")
        refused = viewer.get(scopes_url(workspace) + "?ordering=search_vector")
        assert "ordering" in assert_error(refused, 400, "validation_error")
        assert viewer.get(scopes_url(workspace) + "?ordering=-title").status_code == 200

    def test_ordering_by_title(self, member, workspace):
        for title in ("b", "c", "a"):
            ScopeFactory(workspace=workspace, title=title)
        rows = member("viewer").get(scopes_url(workspace) + "?ordering=title").json()["results"]
        assert [row["title"] for row in rows] == ["a", "b", "c"]

    def test_excludes_other_workspaces(self, member, workspace, other_workspace):
        ScopeFactory(workspace=other_workspace)
        assert member("viewer").get(scopes_url(workspace)).json()["results"] == []

    @pytest.mark.parametrize("rows", [1, 50])
    def test_list_query_count_is_constant(self, member, workspace, django_assert_num_queries, rows):
        viewer = member("viewer")
        project = ProjectFactory(workspace=workspace)
        for scope in ScopeFactory.create_batch(rows, workspace=workspace, project=project):
            ScopeSectionFactory(scope=scope)
            CommentFactory(scope=scope)
            FavouriteFactory(scope=scope, user=viewer.user)
        # auth user + membership + workspace (one query), one page of scopes with every flag and count
        with django_assert_num_queries(2):
            response = viewer.get(scopes_url(workspace) + "?limit=100&favourite=true")
        assert len(response.json()["results"]) == rows


class TestSearch:
    def test_ranked_full_text_over_title_summary_and_sections(self, member, workspace):
        editor = member("editor")
        in_title = editor.post(scopes_url(workspace), {"title": "Kubernetes migration"}).json()
        in_summary = editor.post(scopes_url(workspace), {"title": "Platform", "summary": "Move to kubernetes"}).json()
        in_section = editor.post(scopes_url(workspace), {"title": "Other"}).json()
        editor.post(
            scopes_url(workspace, in_section["id"], "sections"),
            {"title": "Infra", "content": "We will run the services on Kubernetes clusters."},
        )
        unrelated = ScopeFactory(workspace=workspace, title="Website", summary="A new brochure site")

        results = editor.get(scopes_url(workspace) + "?q=kubernetes").json()["results"]
        assert [row["id"] for row in results] == [in_title["id"], in_summary["id"], in_section["id"]]
        assert results[0]["rank"] > results[1]["rank"] > results[2]["rank"] > 0
        assert str(unrelated.pk) not in {row["id"] for row in results}

    def test_explicit_ordering_overrides_relevance(self, member, workspace):
        for title in ("b kubernetes", "a kubernetes kubernetes", "c"):
            ScopeFactory(workspace=workspace, title=title)
        search.refresh(Scope.objects.values_list("pk", flat=True))
        rows = member("viewer").get(scopes_url(workspace) + "?q=kubernetes&ordering=-title").json()["results"]
        assert [row["title"] for row in rows] == ["b kubernetes", "a kubernetes kubernetes"]

    def test_search_follows_edits_and_stems(self, member, workspace):
        editor = member("editor")
        scope = editor.post(scopes_url(workspace), {"title": "Plain"}).json()
        assert editor.get(scopes_url(workspace) + "?q=analytics").json()["results"] == []
        editor.patch(scopes_url(workspace, scope["id"]), {"summary": "Analytical dashboards"})
        results = editor.get(scopes_url(workspace) + "?q=dashboard").json()["results"]
        assert [row["id"] for row in results] == [scope["id"]]

    def test_the_search_condition_is_served_by_the_gin_index(self, workspace):
        """The filter must compare the stored vector (not a to_tsvector() computed per row), or no index can help.

        On a handful of rows the planner rightly prefers a scan, so scans are switched off for this one query.
        (On 80k scopes in 302 workspaces, EXPLAIN ANALYZE showed the index chosen on its own for a selective
        term: a BitmapAnd of scope_search and the workspace index, about 1 ms.)
        """
        ScopeFactory.create_batch(3, workspace=workspace)
        with connection.cursor() as cursor:
            # No full scans of the table or of a btree index (which can stand in for a sort): what serves the
            # condition then is an index that understands it, or the planner falls back to a disabled seq scan.
            cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        plan = search.apply(Scope.objects.order_by(), "kubernetes clusters").explain()
        assert "scope_search" in plan, plan

    def test_search_pages_with_cursor(self, member, workspace):
        editor = member("editor")
        for index in range(5):
            editor.post(scopes_url(workspace), {"title": f"Search target {index}", "summary": "target " * index})
        seen, url = [], scopes_url(workspace) + "?q=target&limit=2"
        while url:
            page = editor.get(url).json()
            seen += [row["id"] for row in page["results"]]
            url = page["next"]
        assert len(seen) == len(set(seen)) == 3  # Free plan: only 3 were created


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
        scope = ScopeFactory(workspace=workspace)
        response = member("editor").patch(scopes_url(workspace, scope.pk), {"title": ""})
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "validation_error"

    def test_status_is_not_editable_by_patch(self, member, workspace):
        scope = ScopeFactory(workspace=workspace)
        member("editor").patch(scopes_url(workspace, scope.pk), {"status": "sent"})
        scope.refresh_from_db()
        assert scope.status == Scope.Status.DRAFT


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

    def test_any_status_can_be_archived(self, member, workspace):
        editor = member("editor")
        for start in ("draft", "in_review", "approved", "sent"):
            scope = ScopeFactory(workspace=workspace, status=start)
            assert editor.post(scopes_url(workspace, scope.pk, "transition"), {"status": "archived"}).status_code == 200

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
            ScopeSectionFactory(scope=scope, title=f"S{index}", sources=[{"document_id": "x", "page": 1}])
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
