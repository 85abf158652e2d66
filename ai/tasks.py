"""Worker entry points (django-q2). Thin: the job and its guards live in ai.runner."""

from django.utils import timezone

from ai import runner


def run_ai(run_id: str) -> str:
    return runner.run(run_id)


def requeue_stale_runs() -> int:
    """Scheduled every few minutes (orbit/schedules.py): picks up runs a dead worker left behind."""
    return runner.requeue_stale(now=timezone.now())
