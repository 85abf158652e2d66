"""Asking for AI work: check everything that can be checked before queuing (ids of this workspace, documents
processed, the provider allowed, the plan's AI calls), then create the run and enqueue it on commit."""

import structlog
from django.conf import settings
from django.db import transaction
from django.db.models import Q

from ai import providers
from ai.models import AIRun
from billing.plans import enforce_limit
from documents.models import Document
from orbit import worker
from orbit.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from scopes.models import Project, Scope, ScopeSection
from workspaces.models import Membership

logger = structlog.get_logger(__name__)

PIPELINE = worker.Pipeline(
    model=AIRun,
    task="ai.tasks.run_ai",
    settings_prefix="AI_RUN",
    gave_up="The AI job did not finish after several attempts.",
    token="claim_token",
)


def _provider(*, requested: str | None, membership: Membership) -> tuple[str, str]:
    """(provider, model) for a run: the default, or one an owner/admin picked among the configured ones."""
    default = providers.default_provider()
    if not requested or requested == default:
        return default, providers.default_model(default)
    if requested not in providers.PROVIDERS:
        message = f"Unknown provider; one of: {', '.join(providers.PROVIDERS)}."
        raise ValidationFailed(message, details={"provider": [message]})
    if membership.role < Membership.Role.ADMIN:
        raise PermissionDenied("Only owners and admins may choose the AI provider.", details={"provider": requested})
    if not providers.is_configured(requested):
        configured = providers.configured_providers()
        message = f"The provider {requested} is not configured here; configured: {', '.join(configured)}."
        raise ValidationFailed(message, details={"provider": [message]})
    return requested, providers.default_model(requested)


def _not_found(field: str, ids) -> NotFound:
    return NotFound(f"Not found in this workspace: {field}.", details={field: [str(i) for i in ids]})


def _queue(membership: Membership, *, kind: str, provider: str | None, params: dict, scope=None) -> AIRun:
    """Resolve the provider the member asked for (`_provider`), count the call against the plan and create the
    member's run, in the caller's transaction; the task is sent on commit."""
    provider, model = _provider(requested=provider, membership=membership)
    workspace = membership.workspace
    if kind == AIRun.Kind.EXTRACT:
        # The scope is created by the worker; refuse now rather than after paying for the call.
        enforce_limit(workspace=workspace, limit="scopes_per_month")
    enforce_limit(workspace=workspace, limit="ai_calls_per_month")
    run = AIRun.objects.create(
        workspace=workspace,
        user_id=membership.user_id,
        kind=kind,
        provider=provider,
        model=model,
        input_params=params,
        scope=scope,
    )
    PIPELINE.enqueue(run.id, task_name=f"ai-{kind}-{run.id}")
    logger.info("ai_run_queued", run_id=str(run.id), kind=kind, provider=provider, model=model)
    return run


@transaction.atomic
def request_extract(*, membership, document_ids, project_id=None, template_id=None, title="", provider=None) -> AIRun:
    from templates.models import Template

    workspace = membership.workspace
    document_ids = list(dict.fromkeys(str(doc) for doc in document_ids))
    if len(document_ids) > settings.AI_MAX_DOCUMENTS:
        message = f"At most {settings.AI_MAX_DOCUMENTS} documents per extraction."
        raise ValidationFailed(message, details={"document_ids": [message]})
    found = {
        str(doc_id): status
        for doc_id, status in Document.objects.filter(workspace=workspace, pk__in=document_ids).values_list(
            "id", "status"
        )
    }
    missing = [doc for doc in document_ids if doc not in found]
    if missing:
        raise _not_found("document_ids", missing)
    if project_id is not None and not Project.objects.filter(workspace=workspace, pk=project_id).exists():
        raise _not_found("project_id", [project_id])
    templates = Template.objects.filter(Q(workspace__isnull=True) | Q(workspace=workspace))
    if template_id is not None and not templates.filter(pk=template_id).exists():
        raise _not_found("template_id", [template_id])
    not_ready = [doc for doc in document_ids if found[doc] != Document.Status.COMPLETED]
    if not_ready:
        raise Conflict(
            "Only processed documents can be read by the AI; wait until they are completed.",
            details={"document_ids": not_ready, "statuses": {doc: found[doc] for doc in not_ready}},
        )
    params = {
        "document_ids": document_ids,
        "project_id": str(project_id) if project_id else None,
        "template_id": str(template_id) if template_id else None,
        "title": title or "",
    }
    return _queue(membership, kind=AIRun.Kind.EXTRACT, provider=provider, params=params)


def _scope_of(workspace, scope_id) -> Scope:
    scope = Scope.objects.alive().filter(workspace=workspace, pk=scope_id).first()
    if scope is None:
        raise _not_found("scope_id", [scope_id])
    return scope


@transaction.atomic
def request_suggest(*, membership, scope_id, section_id, provider=None) -> AIRun:
    scope = _scope_of(membership.workspace, scope_id)
    if not ScopeSection.objects.filter(scope=scope, pk=section_id).exists():
        raise _not_found("section_id", [section_id])
    params = {"scope_id": str(scope.pk), "section_id": str(section_id)}
    return _queue(membership, kind=AIRun.Kind.SUGGEST, provider=provider, params=params, scope=scope)


@transaction.atomic
def request_analyze(*, membership, scope_id, provider=None) -> AIRun:
    scope = _scope_of(membership.workspace, scope_id)
    return _queue(
        membership, kind=AIRun.Kind.ANALYZE, provider=provider, params={"scope_id": str(scope.pk)}, scope=scope
    )


@transaction.atomic
def retry_run(*, run: AIRun, actor) -> AIRun:
    """Queue a failed run again (staff, from the admin): same inputs, a fresh attempt count; the failure stays in
    the activity feed. Not counted against the plan a second time: the allowance counts provider calls."""
    from django.utils import timezone

    from workspaces import activity

    retried = AIRun.objects.filter(pk=run.pk, status=AIRun.Status.FAILED).update(
        status=AIRun.Status.QUEUED,
        error_code="",
        error_message="",
        progress=0,
        attempts=0,
        claimed_at=None,
        claim_token=None,
        started_at=None,
        finished_at=None,
        updated_at=timezone.now(),
    )
    if not retried:
        raise Conflict("Only a failed AI run can be retried.", details={"status": run.status})
    run.refresh_from_db()
    activity.record(
        actor=actor,
        verb=activity.Verb.AI_RUN_RETRIED,
        target=run,
        metadata={"kind": run.kind, "provider": run.provider},
    )
    PIPELINE.enqueue(run.id, task_name=f"ai-{run.kind}-{run.id}")
    return run
