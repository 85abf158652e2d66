"""SPEC §3 for AI: owner, admin and editor may run AI; a viewer reads runs but gets 403 on requests; an outsider
404 (the isolation matrix proves the 404/403 columns for every route; this adds the "may" column and the
provider choice, which only owners and admins have)."""

import pytest

from ai.models import AIRun
from ai.tests.factories import AIRunFactory
from scopes.models import Scope

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["owner", "admin", "editor"])
def test_writers_may_run_ai(member, workspace, brief, run_jobs, role):
    client = member(role)
    with run_jobs():
        response = client.post(
            f"/api/workspaces/{workspace.pk}/ai/extract/", {"document_ids": [str(brief.pk)]}, format="json"
        )
    assert response.status_code == 202
    assert AIRun.objects.get().user == client.user


@pytest.mark.parametrize("action", ["extract", "suggest", "analyze"])
def test_a_viewer_gets_403(member, workspace, brief, action):
    response = member("viewer").post(
        f"/api/workspaces/{workspace.pk}/ai/{action}/", {"document_ids": [str(brief.pk)]}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert AIRun.objects.count() == 0


@pytest.mark.parametrize("role", ["owner", "admin", "editor", "viewer"])
def test_members_read_the_workspaces_runs_only(member, workspace, other_workspace, role):
    mine = AIRunFactory(workspace=workspace)
    AIRunFactory(workspace=other_workspace)
    client = member(role)
    listed = client.get(f"/api/workspaces/{workspace.pk}/ai/runs/")
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()["results"]] == [str(mine.pk)]
    assert client.get(f"/api/workspaces/{workspace.pk}/ai/runs/{mine.pk}/").json()["status"] == "succeeded"


def test_runs_are_cursor_paged_and_filtered(member, workspace):
    for _ in range(3):
        AIRunFactory(workspace=workspace)
    failed = AIRunFactory(workspace=workspace, status=AIRun.Status.FAILED, error_code="ai_unavailable")
    client = member("viewer")
    page = client.get(f"/api/workspaces/{workspace.pk}/ai/runs/?limit=2").json()
    assert len(page["results"]) == 2
    assert page["next"]
    only_failed = client.get(f"/api/workspaces/{workspace.pk}/ai/runs/?status=failed").json()["results"]
    assert [r["id"] for r in only_failed] == [str(failed.pk)]
    assert only_failed[0]["error"] == {"code": "ai_unavailable", "message": ""}


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_owners_and_admins_may_pick_a_configured_provider(member, workspace, brief, openai_standin, settings, role):
    settings.AI_PROVIDER = "builtin"
    response = member(role).post(
        f"/api/workspaces/{workspace.pk}/ai/extract/",
        {"document_ids": [str(brief.pk)], "provider": "openai"},
        format="json",
    )
    assert response.status_code == 202
    assert (response.json()["provider"], response.json()["model"]) == ("openai", "gpt-4o-mini")


def test_an_editor_may_not_pick_the_provider(member, workspace, brief, openai_standin, settings):
    settings.AI_PROVIDER = "builtin"
    url = f"/api/workspaces/{workspace.pk}/ai/extract/"
    response = member("editor").post(url, {"document_ids": [str(brief.pk)], "provider": "openai"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    # Naming the default is not a choice.
    same = member("editor").post(url, {"document_ids": [str(brief.pk)], "provider": "builtin"}, format="json")
    assert same.status_code == 202
    assert AIRun.objects.get().provider == "builtin"


def test_a_provider_that_is_not_configured_cannot_be_picked(member, workspace, brief, settings):
    settings.AI_PROVIDER = "builtin"
    settings.ANTHROPIC_API_KEY = ""
    response = member("owner").post(
        f"/api/workspaces/{workspace.pk}/ai/extract/",
        {"document_ids": [str(brief.pk)], "provider": "anthropic"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert "provider" in response.json()["error"]["details"]
    assert AIRun.objects.count() == 0
    assert Scope.objects.count() == 0
