"""The real openai and anthropic SDKs against a local stand-in over HTTP (ai/tests/standin.py), through the API
and the runner: what a failing or misbehaving provider leaves behind (a failed run with a readable error, no
partial scope) and what a good answer becomes. Retries are the SDKs' own (`x-stainless-retry-count`)."""

import json
import time

import pytest

from ai.models import AIRun
from ai.tests import standin as fake
from scopes.models import Scope, ScopeSection

pytestmark = pytest.mark.django_db

PROVIDERS = ["openai", "anthropic"]


@pytest.fixture(params=PROVIDERS)
def provider(request, settings, standin, fast_sdk):
    """Each test runs once per SDK, against the same stand-in."""
    if request.param == "openai":
        settings.AI_PROVIDER = "openai"
        settings.OPENAI_API_KEY = "sk-test-standin"
        settings.OPENAI_BASE_URL = f"{standin.url}/v1"
    else:
        settings.AI_PROVIDER = "anthropic"
        settings.ANTHROPIC_API_KEY = "sk-ant-test-standin"
        settings.ANTHROPIC_BASE_URL = standin.url
    return request.param


def good(provider):
    """A well-behaved model answering in the provider's wire format."""
    if provider == "openai":
        return fake.as_openai(fake.extraction_per_page)
    return fake.as_anthropic(fake.extraction_per_page)


def wire(provider, answer, **kwargs):
    if provider == "openai":
        return fake.openai_completion(answer, **kwargs)
    return fake.anthropic_message(answer, **kwargs)


def extract(client, workspace, document, run_jobs) -> AIRun:
    with run_jobs():
        response = client.post(
            f"/api/workspaces/{workspace.pk}/ai/extract/", {"document_ids": [str(document.pk)]}, format="json"
        )
    assert response.status_code == 202, response.json()
    return AIRun.objects.get(pk=response.json()["id"])


def assert_failed_cleanly(run: AIRun, code: str):
    run.refresh_from_db()
    assert run.status == AIRun.Status.FAILED
    assert run.error_code == code
    assert run.error_message
    assert "Traceback" not in run.error_message
    assert run.scope is None
    assert Scope.objects.count() == 0
    assert ScopeSection.objects.count() == 0


def test_success_builds_the_scope_and_records_tokens_and_cost(provider, standin, editor, workspace, brief, run_jobs):
    standin.reply(good(provider))
    run = extract(editor, workspace, brief, run_jobs)
    run.refresh_from_db()
    assert run.status == "succeeded", run.error_message
    assert (run.provider_calls, run.chunks, run.input_tokens, run.output_tokens) == (1, 1, 1000, 200)
    assert run.cost_usd > 0
    assert run.latency_ms is not None
    scope = run.scope
    assert [s.title for s in scope.sections.all()] == ["1. Background", "2. Scope of Work", "3. Deliverables"]
    assert all(s.sources and s.sources[0]["document_id"] == str(brief.pk) for s in scope.sections.all())
    assert [s.sources[0]["page"] for s in scope.sections.all()] == [1, 2, 3]
    assert scope.confidence == pytest.approx(0.9)
    assert len(standin.requests) == 1


def test_openai_request_is_structured_outputs(openai_standin, editor, workspace, brief, run_jobs):
    openai_standin.reply(fake.as_openai(fake.extraction_per_page))
    extract(editor, workspace, brief, run_jobs)
    request = openai_standin.requests[0]
    assert request["path"] == "/v1/chat/completions"
    body = request["json"]
    assert body["model"] == "gpt-4o-mini"
    assert body["response_format"]["type"] == "json_schema"
    schema = body["response_format"]["json_schema"]
    assert schema["strict"] is True
    assert "sections" in schema["schema"]["properties"]
    assert request["headers"]["authorization"] == "Bearer sk-test-standin"


def test_anthropic_request_forces_the_tool_and_caches_the_documents(
    anthropic_standin, editor, workspace, brief, run_jobs
):
    anthropic_standin.reply(fake.as_anthropic(fake.extraction_per_page))
    extract(editor, workspace, brief, run_jobs)
    request = anthropic_standin.requests[0]
    assert request["path"] == "/v1/messages"
    body = request["json"]
    assert body["tool_choice"] == {"type": "tool", "name": "record_scope"}
    assert body["tools"][0]["input_schema"]["properties"]["sections"]["type"] == "array"
    assert "$ref" not in json.dumps(body["tools"][0]["input_schema"])
    documents_block = body["messages"][0]["content"][0]
    assert documents_block["cache_control"] == {"type": "ephemeral"}
    assert "The contractor shall build an online permit portal." in documents_block["text"]


def test_a_timeout_then_success(provider, standin, editor, workspace, brief, run_jobs):
    standin.reply(delay=1.5).reply(good(provider))  # the client gives up after 1 s, the SDK retries
    run = extract(editor, workspace, brief, run_jobs)
    run.refresh_from_db()
    assert run.status == "succeeded", run.error_message
    assert [r["headers"].get("x-stainless-retry-count") for r in standin.requests] == ["0", "1"]


def test_429_with_retry_after_is_waited_for(provider, standin, editor, workspace, brief, run_jobs):
    error = {"error": {"type": "rate_limit_error", "message": "slow down"}}
    standin.reply(error, status=429, headers={"retry-after": "1"}).reply(good(provider))
    started = time.monotonic()
    run = extract(editor, workspace, brief, run_jobs)
    run.refresh_from_db()
    assert run.status == "succeeded", run.error_message
    assert time.monotonic() - started >= 1.0  # Retry-After honoured
    assert len(standin.requests) == 2


def test_500_then_success(provider, standin, editor, workspace, brief, run_jobs):
    standin.reply({"error": {"type": "api_error", "message": "boom"}}, status=500, headers={"retry-after-ms": "10"})
    standin.reply(good(provider))
    run = extract(editor, workspace, brief, run_jobs)
    run.refresh_from_db()
    assert run.status == "succeeded", run.error_message
    assert len(standin.requests) == 2


def test_exhausted_retries_fail_the_run_with_no_partial_scope(provider, standin, editor, workspace, brief, run_jobs):
    for _ in range(3):
        standin.reply({"error": {"type": "api_error", "message": "down"}}, status=503, headers={"retry-after-ms": "10"})
    run = extract(editor, workspace, brief, run_jobs)
    assert_failed_cleanly(run, "ai_unavailable")
    assert "HTTP 503" in run.error_message
    assert "3 attempts" in run.error_message
    assert len(standin.requests) == 3  # max_retries=2: the SDK's own retries, no loop of ours on top
    assert run.counted  # the provider was really called


def test_timeouts_exhausted_fail_with_a_readable_error(provider, standin, editor, workspace, brief, run_jobs):
    for _ in range(3):
        standin.reply(delay=1.5)
    run = extract(editor, workspace, brief, run_jobs)
    assert_failed_cleanly(run, "ai_unavailable")
    assert "did not answer within 1 s" in run.error_message


def test_malformed_json_fails_the_run(provider, standin, editor, workspace, brief, run_jobs):
    if provider == "openai":
        standin.reply(fake.openai_completion(None, content='{"title": "x", "sections": [ {oops'))
    else:  # an answer body that is not JSON at all
        standin.reply(raw=b'{"id": "msg", "type": "message", "content": [ {oops')
    run = extract(editor, workspace, brief, run_jobs)
    assert_failed_cleanly(run, "ai_invalid_answer" if provider == "openai" else run.error_code)
    assert run.error_code in ("ai_invalid_answer", "ai_unavailable")
    assert "{oops" not in run.error_message  # the answer is not echoed back


def test_json_breaking_the_schema_fails_the_run(provider, standin, editor, workspace, brief, run_jobs):
    answer = {"title": "x", "summary": "y", "sections": [{"section_type": "nonsense", "title": 3}]}
    standin.reply(wire(provider, answer))
    run = extract(editor, workspace, brief, run_jobs)
    assert_failed_cleanly(run, "ai_invalid_answer")
    assert "did not follow the schema" in run.error_message


@pytest.mark.parametrize("how", ["empty", "refused"])
def test_an_empty_or_refused_answer_fails_the_run(provider, standin, editor, workspace, brief, run_jobs, how):
    if provider == "openai":
        body = fake.openai_completion(None, refusal="I can't help with that." if how == "refused" else None)
    else:
        body = fake.anthropic_message(None, stop_reason="refusal" if how == "refused" else "end_turn")
    standin.reply(body)
    run = extract(editor, workspace, brief, run_jobs)
    assert_failed_cleanly(run, "ai_invalid_answer")
    assert ("refused" if how == "refused" else "empty") in run.error_message


def test_a_provider_that_is_not_configured_fails_the_run_without_counting(settings, editor, workspace, brief, run_jobs):
    settings.AI_PROVIDER = "anthropic"
    settings.ANTHROPIC_API_KEY = ""
    run = extract(editor, workspace, brief, run_jobs)
    assert_failed_cleanly(run, "ai_unavailable")
    assert "not configured" in run.error_message
    assert run.counted is False


def test_a_document_needing_several_chunks(provider, standin, editor, workspace, run_jobs, settings):
    from ai.tests.conftest import make_document

    pages = [
        f"{n}. Work package {n}\nThe contractor shall deliver package {n}. " + "Detail. " * 120 for n in range(1, 7)
    ]
    document = make_document(workspace, pages=pages)
    budget = 1500 + 700  # instructions + about two pages per request
    setattr(settings, "OPENAI_MAX_INPUT_TOKENS" if provider == "openai" else "ANTHROPIC_MAX_INPUT_TOKENS", budget)
    for _ in range(6):
        standin.reply(good(provider))
    run = extract(editor, workspace, document, run_jobs)
    run.refresh_from_db()
    assert run.status == "succeeded", run.error_message
    assert run.chunks == len(standin.requests) > 1
    assert run.input_tokens == 1000 * run.chunks
    seen_pages = [page for request in standin.requests for _ref, page, _text in fake.pages_in(request["json"])]
    assert sorted(seen_pages) == [1, 2, 3, 4, 5, 6]  # every page sent once
    sections = list(run.scope.sections.order_by("position"))
    assert [s.title for s in sections] == [f"{n}. Work package {n}" for n in range(1, 7)]
    assert [s.sources[0]["page"] for s in sections] == [1, 2, 3, 4, 5, 6]


def test_each_model_call_is_a_client_span_with_model_and_tokens(
    provider, standin, editor, workspace, brief, run_jobs, monkeypatch
):
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from ai.providers import llm

    exporter = InMemorySpanExporter()
    tracing = TracerProvider()  # a local provider: the process-wide one stays off, as without configuration
    tracing.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(llm, "_tracer", tracing.get_tracer("test"))
    standin.reply(good(provider))
    run = extract(editor, workspace, brief, run_jobs)
    run.refresh_from_db()
    assert run.status == "succeeded", run.error_message
    [span] = exporter.get_finished_spans()
    assert span.name.startswith(f"ai.{provider} ")
    assert span.attributes["gen_ai.system"] == provider
    assert span.attributes["gen_ai.request.model"] == run.model
    assert (span.attributes["gen_ai.usage.input_tokens"], span.attributes["gen_ai.usage.output_tokens"]) == (1000, 200)
    assert "text" not in " ".join(span.attributes)  # metadata only, never the document or the prompt
