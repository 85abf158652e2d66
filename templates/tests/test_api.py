import pytest

from orbit.testing import assert_error
from scopes.models import ScopeSection
from scopes.tests.factories import ScopeFactory, ScopeSectionFactory
from templates.models import Template
from templates.tests.factories import TemplateFactory
from workspaces.models import ActivityEvent

pytestmark = pytest.mark.django_db

SEEDED = {"Website redesign", "Mobile app", "Marketing campaign", "Data and analytics project", "Software integration"}


def ws_url(workspace, *parts):
    return "/".join([f"/api/workspaces/{workspace.pk}/templates", *map(str, parts)]) + "/"


def test_seeded_public_templates_are_substantive():
    public = {t.name: t for t in Template.objects.public()}
    assert set(public) >= SEEDED
    for name in SEEDED:
        sections = public[name].sections
        types = {section["section_type"] for section in sections}
        assert {"overview", "deliverables", "timeline", "budget", "assumptions", "exclusions", "risks"} <= types
        assert all(len(section["content"]) > 80 for section in sections), name
        assert public[name].is_public


class TestPublicTemplates:
    def test_any_signed_in_user_lists_public_templates(self, auth_client):
        response = auth_client.get("/api/templates/?limit=100")
        assert response.status_code == 200
        assert {row["name"] for row in response.json()["results"]} >= SEEDED

    def test_workspace_templates_are_not_public(self, auth_client, workspace):
        template = TemplateFactory(workspace=workspace)
        names = {row["name"] for row in auth_client.get("/api/templates/?limit=100").json()["results"]}
        assert template.name not in names
        assert_error(auth_client.get(f"/api/templates/{template.pk}/"), 404, "not_found")

    def test_list_query_count_is_constant(self, auth_client, django_assert_num_queries):
        counts = []
        for extra in (0, 20):
            TemplateFactory.create_batch(extra, workspace=None, is_public=True)
            with django_assert_num_queries(2):  # auth user, one page of templates
                counts.append(len(auth_client.get("/api/templates/?limit=100").json()["results"]))
        assert counts[1] == counts[0] + 20

    def test_any_signed_in_user_reads_a_public_template_with_its_sections(self, auth_client):
        template = Template.objects.public().first()
        response = auth_client.get(f"/api/templates/{template.pk}/")
        assert response.status_code == 200
        body = response.json()
        assert (body["id"], body["is_public"], body["section_count"]) == (str(template.pk), True, len(body["sections"]))
        assert [section["title"] for section in body["sections"]] == [s["title"] for s in template.sections]

    def test_anonymous_is_401(self, api_client):
        assert_error(api_client.get("/api/templates/"), 401, "not_authenticated")

    def test_public_templates_are_read_only(self, auth_client):
        template = Template.objects.public().first()
        assert_error(auth_client.patch(f"/api/templates/{template.pk}/", {"name": "x"}), 405, "method_not_allowed")
        template.refresh_from_db()
        assert template.name != "x"


class TestWorkspaceTemplates:
    def test_list_has_own_and_public_but_not_others(self, member, workspace, other_workspace):
        own = TemplateFactory(workspace=workspace)
        foreign = TemplateFactory(workspace=other_workspace)
        names = {row["name"] for row in member("viewer").get(ws_url(workspace) + "?limit=100").json()["results"]}
        assert own.name in names
        assert names >= SEEDED
        assert foreign.name not in names

    @pytest.mark.parametrize("rows", [1, 20])
    def test_list_query_count_is_constant(self, member, workspace, django_assert_num_queries, rows):
        viewer = member("viewer")
        TemplateFactory.create_batch(rows, workspace=workspace)
        with django_assert_num_queries(2):
            viewer.get(ws_url(workspace) + "?limit=100")

    def test_create_update_delete(self, member, workspace):
        editor = member("editor")
        created = editor.post(
            ws_url(workspace),
            {"name": "Retainer", "category": "ops", "sections": [{"title": "Hours", "content": "20 per month"}]},
        )
        assert created.status_code == 201, created.json()
        assert created.json()["sections"] == [{"title": "Hours", "section_type": "custom", "content": "20 per month"}]
        assert created.json()["is_public"] is False
        url = ws_url(workspace, created.json()["id"])
        assert editor.patch(url, {"description": "Monthly"}).json()["description"] == "Monthly"
        assert editor.delete(url).status_code == 204
        assert not Template.objects.filter(workspace=workspace).exists()

    def test_invalid_sections_are_400(self, member, workspace):
        response = member("editor").post(
            ws_url(workspace), {"name": "x", "sections": [{"title": "a", "section_type": "poem"}]}
        )
        assert "sections" in assert_error(response, 400, "validation_error")
        assert not Template.objects.filter(workspace=workspace).exists()

    def test_create_from_a_scope(self, member, workspace):
        scope = ScopeFactory(workspace=workspace, title="Acme rebuild")
        for title in ("Overview", "Budget"):
            ScopeSectionFactory(scope=scope, title=title, content=f"{title} text")
        response = member("editor").post(ws_url(workspace), {"scope_id": str(scope.pk), "category": "web"})
        assert response.status_code == 201, response.json()
        assert response.json()["name"] == "Acme rebuild"
        assert [s["title"] for s in response.json()["sections"]] == ["Overview", "Budget"]

    def test_create_from_a_scope_with_a_long_title(self, member, workspace):
        """A scope title may be longer than a template name: the default name is cut, not refused."""
        scope = ScopeFactory(workspace=workspace, title="T" * 300)
        response = member("editor").post(ws_url(workspace), {"scope_id": str(scope.pk)})
        assert response.status_code == 201, response.json()
        assert response.json()["name"] == "T" * 200

    def test_create_from_a_scope_with_sections_too_is_400(self, member, workspace):
        """scope_id copies the scope's sections: sections given as well are refused, not a 500."""
        scope = ScopeFactory(workspace=workspace)
        sections = [{"title": "Extra", "section_type": "overview", "content": ""}]
        response = member("editor").post(ws_url(workspace), {"scope_id": str(scope.pk), "sections": sections})
        assert response.status_code == 400, response.json()
        assert response.json()["error"]["code"] == "validation_error"
        assert "sections" in response.json()["error"]["details"]
        assert not Template.objects.filter(workspace=workspace).exists()

    def test_create_from_another_workspaces_scope_is_404(self, member, workspace, other_workspace):
        scope = ScopeFactory(workspace=other_workspace)
        assert_error(member("editor").post(ws_url(workspace), {"scope_id": str(scope.pk)}), 404, "not_found")
        assert not Template.objects.filter(workspace=workspace).exists()

    def test_public_templates_are_read_only_here_too(self, member, workspace):
        owner = member("owner")
        template = Template.objects.public().first()
        assert owner.get(ws_url(workspace, template.pk)).status_code == 200
        response = owner.patch(ws_url(workspace, template.pk), {"name": "Mine now"})
        assert_error(response, 403, "permission_denied")
        assert_error(owner.delete(ws_url(workspace, template.pk)), 403, "permission_denied")
        template.refresh_from_db()
        assert template.name != "Mine now"


class TestApply:
    def test_merge_appends_and_skips_exact_duplicates(self, member, workspace):
        editor = member("editor")
        scope = ScopeFactory(workspace=workspace)
        ScopeSectionFactory(scope=scope, title="Overview", content="What the project is.")
        ScopeSectionFactory(scope=scope, title="Deliverables", content="Something else")
        template = TemplateFactory(workspace=workspace)  # Overview (same content) + Deliverables (other content)
        response = editor.post(ws_url(workspace, template.pk, "apply"), {"scope_id": str(scope.pk)})
        assert response.status_code == 200, response.json()
        assert response.json()["skipped"] == 1
        assert len(response.json()["added"]) == 1
        rows = list(ScopeSection.objects.filter(scope=scope).order_by("position").values_list("title", "position"))
        assert rows == [("Overview", 0), ("Deliverables", 1), ("Deliverables", 2)]
        event = ActivityEvent.objects.get(verb="template.applied")
        assert event.metadata == {"template_id": str(template.pk), "added": 1, "skipped": 1}
        # Applying again adds nothing.
        again = editor.post(ws_url(workspace, template.pk, "apply"), {"scope_id": str(scope.pk)}).json()
        assert again == {"added": [], "skipped": 2}

    def test_apply_a_public_template(self, member, workspace):
        scope = ScopeFactory(workspace=workspace)
        template = Template.objects.public().get(name="Mobile app")
        response = member("editor").post(ws_url(workspace, template.pk, "apply"), {"scope_id": str(scope.pk)})
        assert len(response.json()["added"]) == len(template.sections)

    def test_scope_of_another_workspace_is_404(self, member, workspace, other_workspace):
        template = TemplateFactory(workspace=workspace)
        scope = ScopeFactory(workspace=other_workspace)
        response = member("editor").post(ws_url(workspace, template.pk, "apply"), {"scope_id": str(scope.pk)})
        assert_error(response, 404, "not_found")
        assert not ScopeSection.objects.exists()
