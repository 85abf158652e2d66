"""orbit.worker.Pipeline: what a declaration derives (settings, statuses), the frame of one delivery (run_claimed),
and that each of the three pipelines fits its model and its settings."""

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings

from ai.services import PIPELINE as AI_PIPELINE
from documents.services.lifecycle import PIPELINE as DOCUMENT_PIPELINE
from exports.models import Export
from exports.services import PIPELINE as EXPORT_PIPELINE
from orbit.models import RunStatus
from orbit.worker import Pipeline

PIPELINES = pytest.mark.parametrize(
    "pipeline", [AI_PIPELINE, DOCUMENT_PIPELINE, EXPORT_PIPELINE], ids=["ai", "documents", "exports"]
)


def _pipeline() -> Pipeline:
    return Pipeline(model=Export, task="exports.tasks.generate_export", settings_prefix="TEST_PIPE", gave_up="Gave up.")


def test_settings_and_statuses_follow_from_the_declaration(settings):
    settings.TEST_PIPE_LEASE = 90
    settings.TEST_PIPE_MAX_ATTEMPTS = 4
    pipeline = _pipeline()
    assert (pipeline.lease_setting, pipeline.max_attempts_setting) == ("TEST_PIPE_LEASE", "TEST_PIPE_MAX_ATTEMPTS")
    assert (pipeline.lease, pipeline.max_attempts) == (timedelta(seconds=90), 4)
    assert (pipeline.waiting, pipeline.running) == (RunStatus.QUEUED, RunStatus.RUNNING)
    settings.TEST_PIPE_MAX_ATTEMPTS = 2  # read at each call
    assert pipeline.max_attempts == 2


class Calls:
    """Records the work and fail callbacks run_claimed makes."""

    def __init__(self, failed: bool = True):
        self.failed = failed
        self.log: list[tuple] = []

    def work(self, row, claim) -> str:
        self.log.append(("work", row, claim))
        return "worked"

    def fail(self, row, claim, message: str) -> bool:
        self.log.append(("fail", row, claim, message))
        return self.failed


@pytest.fixture
def pipeline(settings) -> Pipeline:
    settings.TEST_PIPE_LEASE = 60
    settings.TEST_PIPE_MAX_ATTEMPTS = 3
    return _pipeline()


def test_nothing_claimed_is_skipped(pipeline):
    calls = Calls()
    assert pipeline.run_claimed(None, calls.work, fail=calls.fail) == "skipped"
    assert calls.log == []


def test_a_row_within_its_attempts_is_worked_on(pipeline):
    calls, row, claim = Calls(), SimpleNamespace(attempts=3), object()
    assert pipeline.run_claimed((row, claim), calls.work, fail=calls.fail) == "worked"
    assert calls.log == [("work", row, claim)]


def test_a_row_claimed_once_too_often_is_failed_with_the_declared_message(pipeline):
    calls, row, claim = Calls(), SimpleNamespace(attempts=4), object()
    assert pipeline.run_claimed((row, claim), calls.work, fail=calls.fail) == "failed"
    assert calls.log == [("fail", row, claim, "Gave up.")]


def test_giving_up_on_a_lost_claim_is_skipped(pipeline):
    calls, row, claim = Calls(failed=False), SimpleNamespace(attempts=4), object()
    assert pipeline.run_claimed((row, claim), calls.work, fail=calls.fail) == "skipped"
    assert [entry[0] for entry in calls.log] == ["fail"]


@PIPELINES
def test_each_pipeline_has_its_settings_in_the_settings_and_the_env_example(pipeline):
    assert pipeline.lease > timedelta(0)
    assert pipeline.max_attempts >= 1
    env_example = (Path(django_settings.BASE_DIR) / ".env.example").read_text().splitlines()
    for name in (pipeline.lease_setting, pipeline.max_attempts_setting):
        assert any(line.startswith(f"{name}=") for line in env_example), name


@PIPELINES
def test_each_pipeline_fits_its_model(pipeline):
    meta = pipeline.model._meta
    counters = [pipeline.attempts, *(name for name in (pipeline.run, pipeline.token) if name)]
    for name in ["status", "claimed_at", "updated_at", *counters]:
        meta.get_field(name)  # raises FieldDoesNotExist
    statuses = {value for value, _label in meta.get_field("status").choices}
    assert {pipeline.waiting, pipeline.running} <= statuses
    # The claim and the stale sweep find rows by (status, claimed_at).
    assert ["status", "claimed_at"] in [index.fields for index in meta.indexes]
