"""One attempt at an AI run: what it learned on the way (usage, cache hit, timing), and its two endings, each written
through the worker's claim in one transaction with its activity event, and logged as metadata only (provider,
model, tokens, cost, latency and outcome, never text or prompts)."""

import time

import structlog
from django.db import transaction
from django.utils import timezone

from ai import pricing
from ai.models import AIRun
from workspaces import activity
from workspaces.activity import Verb

logger = structlog.get_logger(__name__)

SUCCESS_VERBS = {
    AIRun.Kind.EXTRACT: Verb.AI_SCOPE_EXTRACTED,
    AIRun.Kind.SUGGEST: Verb.AI_SUGGESTIONS_MADE,
    AIRun.Kind.ANALYZE: Verb.AI_SCOPE_ANALYZED,
}
FAILED_VERB = Verb.AI_RUN_FAILED


class Attempt:
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


def fail(attempt: Attempt, claim, code: str, message: str) -> str:
    """The run fails with `code` while the claim holds. Returns failed, or skipped when the claim was lost."""
    run = attempt.run
    fields = {**attempt.fields(), "status": AIRun.Status.FAILED, "error_code": code, "error_message": message[:2000]}
    now = timezone.now()
    with transaction.atomic():
        changed = claim.update(**fields, claimed_at=None, finished_at=now, updated_at=now)
        if changed:
            activity.record(
                actor=run.user,
                verb=FAILED_VERB,
                target=run,
                metadata={"kind": run.kind, "provider": run.provider, "error_code": code},
            )
    _log(run, f"failed:{code}", fields)
    return "failed" if changed else "skipped"


def succeed(attempt: Attempt, claim, *, scope, result=None, metadata=None) -> None:
    """Inside the caller's transaction, after it locked the claim."""
    run = attempt.run
    fields = {**attempt.fields(), "status": AIRun.Status.SUCCEEDED, "progress": 100, "scope": scope}
    if result is not None:
        fields["result"] = result
    now = timezone.now()
    claim.update(**fields, error_code="", error_message="", claimed_at=None, finished_at=now, updated_at=now)
    activity.record(
        actor=run.user,
        verb=SUCCESS_VERBS[run.kind],
        target=scope,
        metadata={
            "run_id": str(run.id),
            "provider": run.provider,
            "model": run.model,
            "cache_hit": attempt.cache_hit,
            **(metadata or {}),
        },
    )
    transaction.on_commit(lambda: _log(run, "succeeded", fields))
