"""POST ai/suggest/ and ai/analyze/: jobs like extract, answered by polling the run."""

import pytest

from ai.models import AIRun
from ai.tests import standin as fake
from orbit.testing import assert_error
from orbit.tests.schemas import problems
from scopes.models import Scope
from scopes.tests.factories import ScopeFactory, ScopeSectionFactory
from workspaces.models import ActivityEvent

pytestmark = pytest.mark.django_db


def post(client, workspace, action, run_jobs, **body):
    with run_jobs():
        return client.post(f"/api/workspaces/{workspace.pk}/ai/{action}/", body, format="json")


@pytest.fixture
def extracted(editor, workspace, brief, run_jobs) -> Scope:
    response = post(editor, workspace, "extract", run_jobs, document_ids=[str(brief.pk)])
    run = AIRun.objects.get(pk=response.json()["id"])
    assert run.status == "succeeded", run.error_message
    return run.scope


def test_suggest_answers_3_to_5_suggestions_without_applying_them(editor, workspace, extracted, run_jobs):
    section = extracted.sections.order_by("position").first()
    before = (section.content, section.version)
    response = post(editor, workspace, "suggest", run_jobs, scope_id=str(extracted.pk), section_id=str(section.pk))
    assert response.status_code == 202
    run = editor.get(f"/api/workspaces/{workspace.pk}/ai/runs/{response.json()['id']}/").json()
    assert run["status"] == "succeeded", run["error"]
    assert run["kind"] == "suggest"
    assert problems("AIRun", run) == []  # result and input as the schema types them (issue 9)
    suggestions = run["result"]["suggestions"]
    assert 3 <= len(suggestions) <= 5
    assert {s["kind"] for s in suggestions} <= {"rewrite", "add", "remove"}
    assert all(s["rationale"] and isinstance(s["proposed_content"], str) for s in suggestions)
    section.refresh_from_db()
    assert (section.content, section.version) == before
    assert ActivityEvent.objects.filter(verb="ai.suggestions_made", target_id=str(extracted.pk)).count() == 1


def test_analyze_stores_risks_gaps_coverage_and_questions_on_the_scope(editor, workspace, brief, extracted, run_jobs):
    response = post(editor, workspace, "analyze", run_jobs, scope_id=str(extracted.pk))
    assert response.status_code == 202
    run = AIRun.objects.get(pk=response.json()["id"])
    assert run.status == "succeeded", run.error_message
    extracted.refresh_from_db()
    analysis = extracted.ai_analysis
    assert {"risks", "gaps", "coverage", "questions", "provider", "model", "generated_at"} <= set(analysis)
    assert (analysis["provider"], analysis["model"]) == ("builtin", "orbit-builtin")
    coverage = analysis["coverage"]
    assert coverage["requirements"], "the brief has 'shall' and 'must' statements"
    section_ids = {str(pk) for pk in extracted.sections.values_list("pk", flat=True)}
    pages = {p.number: " ".join(p.text.split()) for p in brief.pages.all()}
    for requirement in coverage["requirements"]:
        assert requirement["document_id"] == str(brief.pk)
        assert requirement["quote"] in pages[requirement["page"]]
        assert set(requirement["covered_by"]) <= section_ids
        assert requirement["status"] in ("covered", "partial", "uncovered")
    assert 0 <= coverage["covered_ratio"] <= 1
    for finding in analysis["risks"] + analysis["gaps"]:
        assert finding["section_id"] is None or finding["section_id"] in section_ids
    assert problems("ScopeAnalysis", analysis) == []  # what the schema says ai_analysis is (issue 9)
    assert ActivityEvent.objects.filter(verb="ai.scope_analyzed", target_id=str(extracted.pk)).count() == 1


def test_analyze_with_a_model_maps_references_back_and_drops_unfounded_requirements(
    openai_standin, editor, workspace, brief, run_jobs
):
    scope = ScopeFactory(workspace=workspace)
    section = ScopeSectionFactory(scope=scope, title="Portal", content="We build the portal.")
    section.sources = [{"document_id": str(brief.pk), "page": 2, "quote": "online permit portal"}]
    section.save()
    answer = {
        "risks": [{"severity": "high", "category": "payments", "description": "No PCI scope.", "section": "s1"}],
        "gaps": [{"severity": "medium", "category": "acceptance", "description": "No acceptance.", "section": "s9"}],
        "requirements": [
            {
                "text": "Build an online permit portal",
                "document": "d1",
                "page": 2,
                "quote": "The contractor shall build an online permit portal.",
                "covered_by": ["s1"],
                "status": "covered",
            },
            {
                "text": "Accept card payments",
                "document": "d1",
                "page": 2,
                "quote": "The portal must accept card payments.",
                "covered_by": [],
                "status": "uncovered",
            },
            {
                "text": "Invented",
                "document": "d1",
                "page": 1,
                "quote": "The contractor shall fly to the moon.",
                "covered_by": [],
                "status": "uncovered",
            },
        ],
        "questions": [
            {
                "question": "Which card schemes?",
                "sources": [{"document": "d1", "page": 2, "quote": "accept card payments"}],
            }
        ],
    }
    openai_standin.reply(fake.openai_completion(answer))
    response = post(editor, workspace, "analyze", run_jobs, scope_id=str(scope.pk))
    run = AIRun.objects.get(pk=response.json()["id"])
    assert run.status == "succeeded", run.error_message
    scope.refresh_from_db()
    analysis = scope.ai_analysis
    assert problems("ScopeAnalysis", analysis) == []  # the LLM engines' findings and questions too
    assert analysis["risks"][0]["section_id"] == str(section.pk)
    assert analysis["gaps"][0]["section_id"] is None  # s9 does not exist
    assert [r["text"] for r in analysis["coverage"]["requirements"]] == [
        "Build an online permit portal",
        "Accept card payments",
    ]
    assert analysis["coverage"]["requirements"][0]["covered_by"] == [str(section.pk)]
    assert analysis["coverage"]["covered_ratio"] == 0.5
    assert analysis["questions"][0]["sources"] == [
        {"document_id": str(brief.pk), "page": 2, "quote": "accept card payments"}
    ]
    assert (analysis["provider"], analysis["model"]) == ("openai", "gpt-4o-mini")


def test_suggest_with_a_model(anthropic_standin, editor, workspace, run_jobs):
    section = ScopeSectionFactory(workspace=workspace, content="Deliver a website. Timeline TBD.")
    answer = {
        "suggestions": [
            {"kind": "rewrite", "rationale": "Vague.", "proposed_content": "Deliver a portal by 30 June 2027."},
            {"kind": "add", "rationale": "No criteria.", "proposed_content": "Accepted when 12 staff are trained."},
            {"kind": "remove", "rationale": "Placeholder.", "proposed_content": "Timeline TBD."},
        ]
    }
    anthropic_standin.reply(fake.anthropic_message(answer, tool="record_suggestions"))
    response = post(editor, workspace, "suggest", run_jobs, scope_id=str(section.scope_id), section_id=str(section.pk))
    run = AIRun.objects.get(pk=response.json()["id"])
    assert run.status == "succeeded", run.error_message
    assert [s["kind"] for s in run.result["suggestions"]] == ["rewrite", "add", "remove"]
    sent = anthropic_standin.requests[0]["json"]
    assert "Deliver a website. Timeline TBD." in sent["messages"][0]["content"][0]["text"]


@pytest.mark.parametrize("action", ["suggest", "analyze"])
def test_another_workspaces_scope_or_section_is_404(editor, workspace, other_workspace, run_jobs, action):
    foreign = ScopeSectionFactory(workspace=other_workspace)
    own = ScopeSectionFactory(workspace=workspace)
    body = {"scope_id": str(foreign.scope_id)}
    if action == "suggest":
        body["section_id"] = str(foreign.pk)
    response = post(editor, workspace, action, run_jobs, **body)
    assert assert_error(response, 404, "not_found") == {"scope_id": [str(foreign.scope_id)]}
    if action == "suggest":  # own scope, a section of another scope
        response = post(editor, workspace, action, run_jobs, scope_id=str(own.scope_id), section_id=str(foreign.pk))
        assert assert_error(response, 404, "not_found") == {"section_id": [str(foreign.pk)]}
    assert AIRun.objects.count() == 0


def test_a_trashed_scope_is_404(editor, workspace, run_jobs):
    scope = ScopeFactory(workspace=workspace, deleted_at="2026-01-01T00:00:00Z")
    response = post(editor, workspace, "analyze", run_jobs, scope_id=str(scope.pk))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert AIRun.objects.count() == 0


@pytest.mark.parametrize("action", ["suggest", "analyze"])
def test_the_ai_calls_limit_is_402_before_queuing(editor, workspace, run_jobs, settings, action):
    """Both count against ai_calls_per_month, as extract does (their operations document the 402)."""
    settings.ORBIT_PLANS_OVERRIDE = {"free": {"ai_calls_per_month": 0}}
    section = ScopeSectionFactory(workspace=workspace)
    body = {"scope_id": str(section.scope_id)} | ({"section_id": str(section.pk)} if action == "suggest" else {})
    details = assert_error(post(editor, workspace, action, run_jobs, **body), 402, "plan_limit_exceeded")
    assert (details["limit_name"], details["limit"]) == ("ai_calls_per_month", 0)
    assert AIRun.objects.count() == 0


@pytest.mark.parametrize("action", ["suggest", "analyze"])
def test_the_scopes_limit_does_not_refuse_work_on_an_existing_scope(editor, workspace, run_jobs, settings, action):
    """Only an extraction creates a scope, so only it counts against scopes_per_month."""
    settings.ORBIT_PLANS_OVERRIDE = {"free": {"scopes_per_month": 0}}
    section = ScopeSectionFactory(workspace=workspace)
    body = {"scope_id": str(section.scope_id)} | ({"section_id": str(section.pk)} if action == "suggest" else {})
    response = post(editor, workspace, action, run_jobs, **body)
    assert response.status_code == 202, response.json()
    assert AIRun.objects.get().kind == action
