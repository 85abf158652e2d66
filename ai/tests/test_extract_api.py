"""POST ai/extract/ with the built-in engine: the happy path, and every refusal (code + unchanged state)."""

import uuid

import pytest

from ai.models import AIRun
from ai.tests.conftest import make_document
from documents.models import Document
from orbit.testing import assert_error
from scopes.models import Scope
from scopes.tests.factories import ProjectFactory
from workspaces.models import ActivityEvent

pytestmark = pytest.mark.django_db


def url(workspace, action="extract"):
    return f"/api/workspaces/{workspace.pk}/ai/{action}/"


def extract(client, workspace, run_jobs, **body):
    with run_jobs():
        response = client.post(url(workspace), body, format="json")
    return response


def test_extract_creates_a_scope_whose_sections_cite_the_document(editor, workspace, brief, run_jobs):
    response = extract(editor, workspace, run_jobs, document_ids=[str(brief.pk)], title="Permit portal")
    assert response.status_code == 202, response.json()
    assert response.json()["status"] == "queued"
    run = editor.get(f"/api/workspaces/{workspace.pk}/ai/runs/{response.json()['id']}/").json()
    assert run["status"] == "succeeded", run
    assert run["progress"] == 100
    scope = Scope.objects.get(pk=run["scope_id"])
    assert scope.title == "Permit portal"
    assert scope.summary
    assert 0 < scope.confidence <= 1
    sections = list(scope.sections.all())
    assert sections
    assert all(s.ai_generated for s in sections)
    cited = [src for s in sections for src in s.sources]
    assert cited
    pages = {p.number: " ".join(p.text.split()) for p in brief.pages.all()}
    for source in cited:
        assert source["document_id"] == str(brief.pk)
        assert " ".join(source["quote"].split()) in pages[source["page"]]


def test_run_records_metadata_and_activity(editor, workspace, brief, run_jobs):
    response = extract(editor, workspace, run_jobs, document_ids=[str(brief.pk)])
    run = AIRun.objects.get(pk=response.json()["id"])
    assert (run.provider, run.model, run.kind, run.user) == ("builtin", "orbit-builtin", "extract", editor.user)
    assert run.input_params["document_ids"] == [str(brief.pk)]
    assert run.counted
    assert not run.cache_hit
    event = ActivityEvent.objects.get(verb="ai.scope_extracted")
    assert event.target_id == str(run.scope_id)
    assert event.metadata["run_id"] == str(run.pk)


def test_the_same_documents_again_hit_the_cache_and_do_not_count(editor, workspace, brief, run_jobs):
    first = extract(editor, workspace, run_jobs, document_ids=[str(brief.pk)]).json()
    second = extract(editor, workspace, run_jobs, document_ids=[str(brief.pk)]).json()
    runs = {r.pk: r for r in AIRun.objects.all()}
    assert runs[uuid.UUID(first["id"])].cache_hit is False
    hit = runs[uuid.UUID(second["id"])]
    assert hit.cache_hit is True
    assert hit.counted is False
    assert hit.status == "succeeded"
    first_scope, second_scope = (
        Scope.objects.get(pk=runs[uuid.UUID(first["id"])].scope_id),
        Scope.objects.get(pk=hit.scope_id),
    )
    assert list(first_scope.sections.values_list("title", "content")) == list(
        second_scope.sections.values_list("title", "content")
    )


def test_idempotency_key_replays_the_first_answer(editor, workspace, brief, run_jobs):
    with run_jobs():
        first = editor.post(url(workspace), {"document_ids": [str(brief.pk)]}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
        again = editor.post(url(workspace), {"document_ids": [str(brief.pk)]}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.status_code == 202
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert AIRun.objects.count() == 1
    assert Scope.objects.count() == 1


def test_another_workspaces_documents_are_404_naming_each_id(editor, workspace, brief, other_workspace, run_jobs):
    foreign = make_document(other_workspace)
    unknown = uuid.uuid4()
    response = extract(editor, workspace, run_jobs, document_ids=[str(brief.pk), str(foreign.pk), str(unknown)])
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert sorted(error["details"]["document_ids"]) == sorted([str(foreign.pk), str(unknown)])
    assert AIRun.objects.count() == 0
    assert Scope.objects.count() == 0


@pytest.mark.parametrize("status", [Document.Status.PROCESSING, Document.Status.FAILED, Document.Status.UPLOADED])
def test_documents_not_completed_are_409(editor, workspace, brief, run_jobs, status):
    pending = make_document(workspace, status=status)
    response = extract(editor, workspace, run_jobs, document_ids=[str(brief.pk), str(pending.pk)])
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert response.json()["error"]["details"]["document_ids"] == [str(pending.pk)]
    assert AIRun.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "document_ids"),
        ({"document_ids": []}, "document_ids"),
        ({"document_ids": ["not-a-uuid"]}, "document_ids"),
        ({"document_ids": "x"}, "document_ids"),
        ({"document_ids": ["DOC"], "provider": "hal9000"}, "provider"),
        ({"document_ids": ["DOC"], "title": "x" * 301}, "title"),
    ],
)
def test_bad_input_is_400_naming_the_field(editor, workspace, brief, run_jobs, body, field):
    body = {k: [str(brief.pk)] if v == ["DOC"] else v for k, v in body.items()}
    response = extract(editor, workspace, run_jobs, **body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert field in response.json()["error"]["details"]
    assert AIRun.objects.count() == 0


@pytest.mark.parametrize("field", ["project_id", "template_id"])
def test_foreign_project_and_template_are_404(editor, workspace, brief, other_workspace, run_jobs, field):
    from templates.tests.factories import TemplateFactory

    foreign = {"project_id": ProjectFactory, "template_id": TemplateFactory}[field](workspace=other_workspace)
    response = extract(editor, workspace, run_jobs, document_ids=[str(brief.pk)], **{field: str(foreign.pk)})
    assert assert_error(response, 404, "not_found") == {field: [str(foreign.pk)]}
    assert AIRun.objects.count() == 0
    assert Scope.objects.count() == 0


def test_extract_into_a_project_with_a_template(editor, workspace, brief, run_jobs):
    from templates.tests.factories import TemplateFactory

    project = ProjectFactory(workspace=workspace)
    template = TemplateFactory(workspace=None, is_public=True)
    response = extract(
        editor,
        workspace,
        run_jobs,
        document_ids=[str(brief.pk)],
        project_id=str(project.pk),
        template_id=str(template.pk),
    )
    run = AIRun.objects.get(pk=response.json()["id"])
    assert run.status == "succeeded", run.error_message
    assert run.scope.project == project


def test_ai_calls_per_month_is_402_before_queuing(editor, workspace, brief, run_jobs, settings):
    settings.ORBIT_PLANS_OVERRIDE = {"free": {"ai_calls_per_month": 1}}
    assert extract(editor, workspace, run_jobs, document_ids=[str(brief.pk)]).status_code == 202
    refused = extract(editor, workspace, run_jobs, document_ids=[str(brief.pk)], title="again")
    assert refused.status_code == 402
    error = refused.json()["error"]
    assert error["code"] == "plan_limit_exceeded"
    assert (error["details"]["limit_name"], error["details"]["limit"], error["details"]["usage"]) == (
        "ai_calls_per_month",
        1,
        1,
    )
    assert AIRun.objects.count() == 1
    assert Scope.objects.count() == 1


def test_scopes_per_month_is_402_before_paying_for_the_call(editor, workspace, brief, run_jobs, settings):
    settings.ORBIT_PLANS_OVERRIDE = {"free": {"scopes_per_month": 0}}
    refused = extract(editor, workspace, run_jobs, document_ids=[str(brief.pk)])
    assert assert_error(refused, 402, "plan_limit_exceeded")["limit_name"] == "scopes_per_month"
    assert AIRun.objects.count() == 0
    assert Scope.objects.count() == 0


def test_rate_limit_per_user_is_429_with_retry_after(editor, workspace, brief, run_jobs, settings):
    settings.AI_RATE_LIMIT_USER = "2/minute"
    for _ in range(2):
        assert extract(editor, workspace, run_jobs, document_ids=[str(brief.pk)]).status_code == 202
    refused = extract(editor, workspace, run_jobs, document_ids=[str(brief.pk)])
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 0 < int(refused["Retry-After"]) <= 60
    assert AIRun.objects.count() == 2


def test_rate_limit_per_workspace_counts_every_member(member, workspace, brief, run_jobs, settings):
    settings.AI_RATE_LIMIT_WORKSPACE = "2/hour"
    clients = [member("editor"), member("editor"), member("admin")]
    responses = [extract(c, workspace, run_jobs, document_ids=[str(brief.pk)]) for c in clients]
    assert [r.status_code for r in responses[:2]] == [202, 202]
    assert_error(responses[2], 429, "rate_limited")
    assert AIRun.objects.count() == 2
