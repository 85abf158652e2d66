"""The three kinds of AI job: gather the input (documents, template, scope), ask the engine (or the result cache),
check the answer and store it, while the worker's claim holds, in the transaction that marks the run succeeded.
Raising an OrbitError or a ProviderError fails the run (ai.runner)."""

import time
import uuid

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ai import cache, postprocess
from ai.attempt import Attempt, succeed
from ai.models import AIRun
from ai.providers import InvalidAnswer, get_provider
from documents.models import Document
from orbit import worker
from orbit.errors import Conflict, NotFound
from scopes.models import Project, Scope


def _engine(attempt: Attempt, claim, *, content: str, extra=None, document_ids: list[str], call):
    """The cached answer for this run over `content` (and `extra`), or `call(provider)`'s (then cached). Records
    usage and timing on `attempt`."""
    run = attempt.run
    key = cache.key_for(run, content=content, extra=extra)
    hit = cache.get(key, document_ids)
    if hit is not None:
        attempt.cache_hit = True
        return hit.result
    provider = get_provider(run.provider, run.model or None)

    def progress(done: int, total: int) -> None:
        claim.update(progress=min(95, int(90 * done / max(total, 1))))

    attempt.called = True
    started = time.monotonic()
    answer = call(provider, progress)
    attempt.engine_ms = int((time.monotonic() - started) * 1000)
    attempt.usage = answer.usage
    cache.put(run, key=key, result=answer.data, document_ids=document_ids, usage=answer.usage)
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


def extract(attempt: Attempt, claim) -> str:
    from templates.models import Template

    run, params = attempt.run, attempt.run.input_params
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
    data = _engine(
        attempt,
        claim,
        content=cache.documents_digest(documents, pages),
        extra={"template": template_sections},
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
        if not worker.holds(claim):
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
        succeed(
            attempt,
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


def suggest(attempt: Attempt, claim) -> str:
    run = attempt.run
    scope = _scope(run)
    scope_data, sections = _scope_dict(scope)
    section = next((s for s in sections if s["id"] == str(run.input_params.get("section_id"))), None)
    if section is None:
        raise NotFound("The section of this run was deleted.", details={"section_id": [run.input_params["section_id"]]})
    data = _engine(
        attempt,
        claim,
        content=cache.digest([scope_data, section["id"]]),
        document_ids=[],
        call=lambda provider, progress: provider.suggest(section, scope_data),
    )
    suggestions = postprocess.finish_suggestions(data)
    if not suggestions:
        raise InvalidAnswer("The engine gave no usable suggestion.")
    with transaction.atomic():
        if not worker.holds(claim):
            return "skipped"
        succeed(
            attempt,
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


def analyze(attempt: Attempt, claim) -> str:
    run = attempt.run
    scope = _scope(run)
    scope_data, sections = _scope_dict(scope)
    document_ids = source_document_ids(scope)
    documents = _documents(run, document_ids)
    pages = _pages(documents)
    data = _engine(
        attempt,
        claim,
        content=cache.digest([scope_data, cache.documents_digest(documents, pages)]),
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
        if not worker.holds(claim):
            return "skipped"
        Scope.objects.filter(pk=scope.pk).update(ai_analysis=analysis, updated_at=timezone.now())
        coverage = analysis["coverage"]
        succeed(
            attempt,
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


KINDS = {AIRun.Kind.EXTRACT: extract, AIRun.Kind.SUGGEST: suggest, AIRun.Kind.ANALYZE: analyze}
