"""The AI job's guards (as in documents.processing): at-least-once delivery runs a job once, a stale claim is
taken over, a worker that lost its claim writes nothing, and the sweep re-queues what a dead worker left."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ai import jobs, runner, tasks
from ai.attempt import Attempt
from ai.models import AIRun
from ai.tests.factories import AIRunFactory
from scopes.models import Scope
from workspaces.models import ActivityEvent

pytestmark = pytest.mark.django_db


def queued_extract(workspace, document, **fields) -> AIRun:
    return AIRunFactory(
        workspace=workspace,
        status=AIRun.Status.QUEUED,
        progress=0,
        input_params={"document_ids": [str(document.pk)], "project_id": None, "template_id": None, "title": ""},
        **fields,
    )


def test_a_redelivered_task_is_a_no_op(workspace, brief):
    run = queued_extract(workspace, brief)
    assert tasks.run_ai(str(run.pk)) == "succeeded"
    assert tasks.run_ai(str(run.pk)) == "skipped"
    assert Scope.objects.count() == 1
    assert ActivityEvent.objects.filter(verb="ai.scope_extracted").count() == 1


def test_a_live_claim_is_respected_and_a_stale_one_taken_over(workspace, brief, settings):
    run = queued_extract(workspace, brief)
    AIRun.objects.filter(pk=run.pk).update(status=AIRun.Status.RUNNING, claimed_at=timezone.now(), attempts=1)
    assert tasks.run_ai(str(run.pk)) == "skipped"
    dead_at = timezone.now() - timedelta(seconds=settings.AI_RUN_LEASE + 1)
    AIRun.objects.filter(pk=run.pk).update(claimed_at=dead_at)
    assert tasks.run_ai(str(run.pk)) == "succeeded"
    run.refresh_from_db()
    assert run.attempts == 2
    assert Scope.objects.count() == 1


def test_a_worker_that_lost_its_claim_creates_nothing(workspace, brief):
    run = queued_extract(workspace, brief)
    job, claim = runner._claim(run.pk)
    # Meanwhile the lease passed and another worker claimed the run (a new token).
    AIRun.objects.filter(pk=run.pk).update(claim_token=None)
    assert jobs.extract(Attempt(job), claim) == "skipped"
    assert Scope.objects.count() == 0
    assert ActivityEvent.objects.filter(verb__startswith="ai.").count() == 0


def test_a_job_that_keeps_dying_is_failed(workspace, brief, settings):
    run = queued_extract(workspace, brief, attempts=settings.AI_RUN_MAX_ATTEMPTS)
    assert tasks.run_ai(str(run.pk)) == "failed"
    run.refresh_from_db()
    assert (run.status, run.error_code) == (AIRun.Status.FAILED, "ai_failed")
    assert ActivityEvent.objects.filter(verb="ai.run_failed", target_id=str(run.pk)).count() == 1


def test_a_document_deleted_before_the_job_ran_fails_it_readably(workspace, brief):
    run = queued_extract(workspace, brief)
    brief.delete()
    assert tasks.run_ai(str(run.pk)) == "failed"
    run.refresh_from_db()
    assert run.error_code == "not_found"
    assert "deleted" in run.error_message
    assert run.counted is False  # no provider was called
    assert Scope.objects.count() == 0


def test_the_sweep_requeues_stale_and_lost_runs(workspace, brief, settings):
    old = timezone.now() - timedelta(seconds=settings.AI_RUN_LEASE + 1)
    stale = queued_extract(workspace, brief)
    AIRun.objects.filter(pk=stale.pk).update(status=AIRun.Status.RUNNING, claimed_at=old, attempts=1)
    lost = queued_extract(workspace, brief)
    AIRun.objects.filter(pk=lost.pk).update(updated_at=old)
    fresh = queued_extract(workspace, brief)
    assert runner.requeue_stale(now=timezone.now()) == 2  # tests run the requeued tasks in-process
    statuses = dict(AIRun.objects.values_list("pk", "status"))
    assert statuses[stale.pk] == statuses[lost.pk] == AIRun.Status.SUCCEEDED
    assert statuses[fresh.pk] == AIRun.Status.QUEUED
