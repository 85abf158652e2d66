"""The AI job run by the worker: claim → gather input → engine (or cache) → check and store, once per run.

Delivery is at least once (django-q2's `retry` is a lease), so, as in documents.processing:
- the claim is a conditional UPDATE (queued, or running with a claim older than AI_RUN_LEASE) that stamps a fresh
  `claim_token`; progress and the final write only touch the row while that claim holds;
- the final write (the scope and all its sections, the analysis, or the suggestions) and the run's success are
  one transaction, taken only while the claim holds: a run creates its scope exactly once, or nothing;
- a provider that is not configured, or still down after the SDK's retries, fails the run with `ai_unavailable`
  and nothing is created.
Logs and the run keep metadata only: provider, model, tokens, cost, latency and outcome, never text or prompts.
"""

import time
import uuid
from datetime import timedelta

import structlog
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from ai import cache, postprocess, pricing
from ai.models import AIRun
from ai.providers import InvalidAnswer, ProviderError, get_provider
from documents.models import Document
from orbit.errors import Conflict, NotFound, OrbitError
from scopes.models import Project, Scope
from workspaces import activity
from workspaces.activity import Verb

logger = structlog.get_logger(__name__)

SUCCESS_VERBS = {
    AIRun.Kind.EXTRACT: Verb.AI_SCOPE_EXTRACTED,
    AIRun.Kind.SUGGEST: Verb.AI_SUGGESTIONS_MADE,
    AIRun.Kind.ANALYZE: Verb.AI_SCOPE_ANALYZED,
}
FAILED_VERB = Verb.AI_RUN_FAILED


class _State:
    """What one attempt learned on the way: usage, whether a provider was called, timing."""

    def __init__(self, run: AIRun):
        self.run = run
        self.called = False
        self.cache_hit = False
        self.usage = None
        self.engine_ms = None
        self.started = time.monotonic()

    def fields(self) -> dict:
        usage = self.usage
        fields = {
            "cache_hit": self.cache_hit,
            "counted": self.called and not self.cache_hit,
            "latency_ms": self.engine_ms,
        }
        if usage is not None and not self.cache_hit:
            fields.update(
                input_tokens=usage.input_tokens,
                output_tokens=usage.output_tokens,
                provider_calls=usage.calls,
                chunks=usage.chunks,
                cost_usd=pricing.cost_usd(self.run.model, usage.input_tokens, usage.output_tokens),
            )
        return fields


def _claim(run_id) -> tuple[AIRun, object] | None:
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.AI_RUN_LEASE)
    token = uuid.uuid4()
    claimed = (
        AIRun.objects.filter(pk=run_id)
        .filter(Q(status=AIRun.Status.QUEUED) | Q(status=AIRun.Status.RUNNING, claimed_at__lt=stale_before))
        .update(
            status=AIRun.Status.RUNNING,
            claimed_at=now,
            claim_token=token,
            attempts=F("attempts") + 1,
            progress=0,
            started_at=now,
            updated_at=now,
        )
    )
    if not claimed:
        return None
    run = AIRun.objects.select_related("workspace", "user").get(pk=run_id)
    return run, AIRun.objects.filter(pk=run_id, status=AIRun.Status.RUNNING, claim_token=token)


def _log(run: AIRun, outcome: str, fields: dict, **extra) -> None:
    logger.info(
        "ai_run_finished",
        run_id=str(run.id),
        workspace_id=str(run.workspace_id),
        kind=run.kind,
        provider=run.provider,
        model=run.model,
        outcome=outcome,
        input_tokens=fields.get("input_tokens", 0),
        output_tokens=fields.get("output_tokens", 0),
        cost_usd=str(fields.get("cost_usd", 0)),
        latency_ms=fields.get("latency_ms"),
        cache_hit=fields.get("cache_hit", False),
        **extra,
    )


def _fail(state: _State, claim, code: str, message: str) -> str:
    run = state.run
    fields = {**state.fields(), "status": AIRun.Status.FAILED, "error_code": code, "error_message": message[:2000]}
    now = timezone.now()
    with transaction.atomic():
        changed = claim.update(**fields, claimed_at=None, finished_at=now, updated_at=now)
        if changed:
            activity.record(
                workspace=run.workspace,
                actor=run.user,
                verb=FAILED_VERB,
                target=run,
                metadata={"kind": run.kind, "provider": run.provider, "error_code": code},
            )
    _log(run, f"failed:{code}", fields)
    return "failed" if changed else "skipped"


def _succeed(state: _State, claim, *, scope, result=None, metadata=None) -> None:
    """Inside the caller's transaction, after it locked the claim."""
    run = state.run
    fields = {**state.fields(), "status": AIRun.Status.SUCCEEDED, "progress": 100, "scope": scope}
    if result is not None:
        fields["result"] = result
    now = timezone.now()
    claim.update(**fields, error_code="", error_message="", claimed_at=None, finished_at=now, updated_at=now)
    activity.record(
        workspace=run.workspace,
        actor=run.user,
        verb=SUCCESS_VERBS[run.kind],
        target=scope,
        metadata={
            "run_id": str(run.id),
            "provider": run.provider,
            "model": run.model,
            "cache_hit": state.cache_hit,
            **(metadata or {}),
        },
    )
    transaction.on_commit(lambda: _log(run, "succeeded", fields))


def _holds(claim) -> bool:
    return bool(list(claim.select_for_update().values_list("pk", flat=True)))


def _engine(state: _State, claim, *, key: str, document_ids: list[str], call):
    """The cached answer for `key`, or `call(provider)`'s (then cached). Records usage and timing on `state`."""
    run = state.run
    hit = cache.get(key, document_ids)
    if hit is not None:
        state.cache_hit = True
        return hit.result
    provider = get_provider(run.provider, run.model or None)

    def progress(done: int, total: int) -> None:
        claim.update(progress=min(95, int(90 * done / max(total, 1))))

    state.called = True
    started = time.monotonic()
    answer = call(provider, progress)
    state.engine_ms = int((time.monotonic() - started) * 1000)
    state.usage = answer.usage
    cache.put(
        key=key,
        workspace=run.workspace,
        kind=run.kind,
        provider=run.provider,
        model=run.model,
        result=answer.data,
        document_ids=document_ids,
        usage=answer.usage,
    )
    return answer.data


def _documents(run: AIRun, document_ids: list[str]) -> list[Document]:
    found = {str(d.id): d for d in Document.objects.filter(workspace=run.workspace, pk__in=document_ids)}
    missing = [doc for doc in document_ids if doc not in found]
    if missing:
        raise NotFound("A document of this run was deleted.", details={"document_ids": missing})
    not_ready = [doc for doc in document_ids if found[doc].status != Document.Status.COMPLETED]
    if not_ready:
        raise Conflict("A document of this run is not processed any more.", details={"document_ids": not_ready})
    return [found[doc] for doc in document_ids]


def _pages(documents):
    from ai.inputs import pages_for_documents

    return pages_for_documents(documents) if documents else []


def _extract(state: _State, claim) -> str:
    from templates.models import Template

    run, params = state.run, state.run.input_params
    document_ids = [str(doc) for doc in params["document_ids"]]
    documents = _documents(run, document_ids)
    pages = _pages(documents)
    template_sections = None
    if params.get("template_id"):
        template = (
            Template.objects.filter(pk=params["template_id"])
            .filter(Q(workspace__isnull=True) | Q(workspace=run.workspace))
            .first()
        )
        if template is None:
            raise NotFound("The template of this run was deleted.", details={"template_id": [params["template_id"]]})
        template_sections = template.sections
    key = cache.key_for(
        workspace_id=run.workspace_id,
        kind=run.kind,
        provider=run.provider,
        model=run.model,
        content=cache.documents_digest(documents, pages),
        extra={"template": template_sections},
    )
    data = _engine(
        state,
        claim,
        key=key,
        document_ids=document_ids,
        call=lambda provider, progress: provider.extract(pages, template_sections=template_sections, progress=progress),
    )
    finished = postprocess.finish_extraction(data, pages)
    if not finished["sections"]:
        raise InvalidAnswer("No scope sections could be drawn from these documents.")
    project = None
    if params.get("project_id"):
        project = Project.objects.filter(workspace=run.workspace, pk=params["project_id"]).first()
    from scopes.services.scopes import create_scope

    with transaction.atomic():
        if not _holds(claim):
            return "skipped"
        scope = create_scope(
            workspace=run.workspace,
            actor=run.user,
            title=params.get("title") or finished["title"] or "Untitled scope",
            summary=finished["summary"],
            project=project,
            sections=finished["sections"],
        )
        Scope.objects.filter(pk=scope.pk).update(confidence=finished["confidence"])
        _succeed(
            state,
            claim,
            scope=scope,
            metadata={"sections": len(finished["sections"]), "document_ids": document_ids},
        )
    return "succeeded"


def _scope_dict(scope: Scope) -> tuple[dict, list[dict]]:
    sections = [
        {
            "id": str(s.id),
            "section_type": s.section_type,
            "title": s.title,
            "content": s.content,
            "confidence": s.confidence,
            "sources": s.sources,
            "position": s.position,
        }
        for s in scope.sections.order_by("position")
    ]
    return {"id": str(scope.id), "title": scope.title, "summary": scope.summary, "sections": sections}, sections


def _scope(run: AIRun) -> Scope:
    scope = Scope.objects.alive().filter(workspace=run.workspace, pk=run.input_params.get("scope_id")).first()
    if scope is None:
        raise NotFound("The scope of this run was deleted.", details={"scope_id": [run.input_params.get("scope_id")]})
    return scope


def _suggest(state: _State, claim) -> str:
    run = state.run
    scope = _scope(run)
    scope_data, sections = _scope_dict(scope)
    section = next((s for s in sections if s["id"] == str(run.input_params.get("section_id"))), None)
    if section is None:
        raise NotFound("The section of this run was deleted.", details={"section_id": [run.input_params["section_id"]]})
    key = cache.key_for(
        workspace_id=run.workspace_id,
        kind=run.kind,
        provider=run.provider,
        model=run.model,
        content=cache.digest([scope_data, section["id"]]),
    )
    data = _engine(
        state, claim, key=key, document_ids=[], call=lambda provider, progress: provider.suggest(section, scope_data)
    )
    suggestions = postprocess.finish_suggestions(data)
    if not suggestions:
        raise InvalidAnswer("The engine gave no usable suggestion.")
    with transaction.atomic():
        if not _holds(claim):
            return "skipped"
        _succeed(
            state,
            claim,
            scope=scope,
            result={"section_id": section["id"], "suggestions": suggestions},
            metadata={"section_id": section["id"], "suggestions": len(suggestions)},
        )
    return "succeeded"


def source_document_ids(scope: Scope) -> list[str]:
    """The documents a scope was drawn from: its extract runs' documents, those its sections cite, those linked."""
    ids: list[str] = []
    for params in AIRun.objects.filter(scope=scope, kind=AIRun.Kind.EXTRACT, status=AIRun.Status.SUCCEEDED).values_list(
        "input_params", flat=True
    ):
        ids += [str(doc) for doc in params.get("document_ids", [])]
    for sources in scope.sections.values_list("sources", flat=True):
        ids += [str(s.get("document_id")) for s in sources or [] if isinstance(s, dict) and s.get("document_id")]
    ids += [str(doc) for doc in Document.objects.filter(scope=scope).values_list("id", flat=True)]
    unique = list(dict.fromkeys(ids))
    ready = Document.objects.filter(
        workspace_id=scope.workspace_id, pk__in=[i for i in unique if _is_uuid(i)], status=Document.Status.COMPLETED
    ).values_list("id", flat=True)
    ready = {str(doc) for doc in ready}
    return [doc for doc in unique if doc in ready]


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _analyze(state: _State, claim) -> str:
    run = state.run
    scope = _scope(run)
    scope_data, sections = _scope_dict(scope)
    document_ids = source_document_ids(scope)
    documents = _documents(run, document_ids)
    pages = _pages(documents)
    key = cache.key_for(
        workspace_id=run.workspace_id,
        kind=run.kind,
        provider=run.provider,
        model=run.model,
        content=cache.digest([scope_data, cache.documents_digest(documents, pages)]),
    )
    data = _engine(
        state,
        claim,
        key=key,
        document_ids=document_ids,
        call=lambda provider, progress: provider.analyze(scope_data, sections, pages, progress=progress),
    )
    analysis = postprocess.finish_analysis(data, pages, {s["id"] for s in sections})
    analysis.update(
        provider=run.provider,
        model=run.model,
        generated_at=timezone.now().isoformat(),
        run_id=str(run.id),
        document_ids=document_ids,
    )
    with transaction.atomic():
        if not _holds(claim):
            return "skipped"
        Scope.objects.filter(pk=scope.pk).update(ai_analysis=analysis, updated_at=timezone.now())
        coverage = analysis["coverage"]
        _succeed(
            state,
            claim,
            scope=scope,
            metadata={
                "risks": len(analysis["risks"]),
                "gaps": len(analysis["gaps"]),
                "requirements": len(coverage["requirements"]),
                "covered_ratio": coverage["covered_ratio"],
            },
        )
    return "succeeded"


_KINDS = {AIRun.Kind.EXTRACT: _extract, AIRun.Kind.SUGGEST: _suggest, AIRun.Kind.ANALYZE: _analyze}


def run(run_id) -> str:
    """Run one AI job. Returns what happened: succeeded, failed or skipped."""
    claimed = _claim(run_id)
    if claimed is None:
        return "skipped"  # finished, deleted, or another worker holds a live claim
    job, claim = claimed
    state = _State(job)
    structlog.contextvars.bind_contextvars(ai_run_id=str(job.id))
    try:
        if job.attempts > settings.AI_RUN_MAX_ATTEMPTS:
            return _fail(state, claim, "ai_failed", "The AI job did not finish after several attempts.")
        return _KINDS[job.kind](state, claim)
    except ProviderError as exc:
        state.called = state.called and exc.called
        return _fail(state, claim, exc.code, exc.message)
    except OrbitError as exc:
        return _fail(state, claim, exc.code, exc.message)
    except (OperationalError, InterfaceError):
        raise  # the database, not the job: leave the claim to expire and be picked up again
    except Exception:
        logger.exception("ai_run_crashed", run_id=str(job.id), kind=job.kind, provider=job.provider)
        return _fail(state, claim, "server_error", "The AI job failed because of an internal error; try again.")
    finally:
        structlog.contextvars.unbind_contextvars("ai_run_id")


def requeue_stale(*, now, dry_run: bool = False) -> int:
    """Queue again runs a dead worker or a lost enqueue left behind (the claim makes a duplicate harmless)."""
    from django_q.tasks import async_task

    cutoff = now - timedelta(seconds=settings.AI_RUN_LEASE)
    stale = list(
        AIRun.objects.filter(
            Q(status=AIRun.Status.RUNNING, claimed_at__lt=cutoff) | Q(status=AIRun.Status.QUEUED, updated_at__lt=cutoff)
        ).values_list("id", flat=True)
    )
    if not dry_run:
        for run_id in stale:
            async_task("ai.tasks.run_ai", str(run_id))
    return len(stale)
