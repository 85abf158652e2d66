"""The AI job run by the worker: claim → gather input → engine (or cache) → check and store, once per run.

Delivery is at least once (django-q2's `retry` is a lease), so, as in documents.processing (orbit.worker):
- the claim is a conditional UPDATE (queued, or running with a claim older than AI_RUN_LEASE) that stamps a fresh
  `claim_token`; progress and the final write only touch the row while that claim holds;
- the final write (the scope and all its sections, the analysis, or the suggestions) and the run's success are
  one transaction, taken only while the claim holds: a run creates its scope exactly once, or nothing (ai.jobs);
- a provider that is not configured, or still down after the SDK's retries, fails the run with `ai_unavailable`
  and nothing is created; a run whose worker keeps dying fails with `ai_failed` after AI_RUN_MAX_ATTEMPTS claims.
Logs and the run keep metadata only: provider, model, tokens, cost, latency and outcome, never text or prompts
(ai.attempt).
"""

import structlog
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from ai.attempt import Attempt, fail
from ai.jobs import KINDS
from ai.models import AIRun
from ai.providers import ProviderError
from ai.services import PIPELINE
from orbit.errors import OrbitError

logger = structlog.get_logger(__name__)


def _claim(run_id) -> tuple[AIRun, object] | None:
    now = timezone.now()
    related = AIRun.objects.select_related("workspace", "user")
    return PIPELINE.claim(run_id, queryset=related, now=now, progress=0, started_at=now)


def run(run_id) -> str:
    """Run one AI job. Returns what happened: succeeded, failed or skipped."""
    with structlog.contextvars.bound_contextvars(ai_run_id=str(run_id)):
        return PIPELINE.run_claimed(_claim(run_id), _work, fail=_give_up)


def _give_up(job: AIRun, claim, message: str) -> bool:
    return fail(Attempt(job), claim, "ai_failed", message) == "failed"


def _work(job: AIRun, claim) -> str:
    attempt = Attempt(job)
    try:
        return KINDS[job.kind](attempt, claim)
    except ProviderError as exc:
        attempt.called = attempt.called and exc.called
        return fail(attempt, claim, exc.code, exc.message)
    except OrbitError as exc:
        return fail(attempt, claim, exc.code, exc.message)
    except (OperationalError, InterfaceError):
        raise  # the database, not the job: leave the claim to expire and be picked up again
    except Exception:
        logger.exception("ai_run_crashed", run_id=str(job.id), kind=job.kind, provider=job.provider)
        return fail(attempt, claim, "server_error", "The AI job failed because of an internal error; try again.")


def requeue_stale(*, now, dry_run: bool = False) -> int:
    """Queue again runs a dead worker or a lost enqueue left behind (the claim makes a duplicate harmless)."""
    return PIPELINE.requeue_stale(now=now, dry_run=dry_run)
