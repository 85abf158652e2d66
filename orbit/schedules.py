"""Every periodic job Orbit runs, declared once, registered as django-q2 schedules after each `migrate`.

`migrate` runs at every deploy (the Procfile's release phase, `scripts/run`), and `sync_schedules` is connected
to its `post_migrate` signal, so the schedules exist wherever the code runs, without data migrations. A run
creates a missing schedule (first due one period later) and puts back the task and cadence of a changed one, keeping its
`next_run`; it is idempotent. `manage.py schedules` lists them with their next run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone


@dataclass(frozen=True)
class Periodic:
    name: str
    func: str
    schedule_type: str  # a django_q.models.Schedule type: "I" minutes, "H" hourly, "D" daily
    minutes: int | None = None
    description: str = ""

    @property
    def period(self) -> timedelta:
        return {"I": timedelta(minutes=self.minutes or 1), "H": timedelta(hours=1), "D": timedelta(days=1)}[
            self.schedule_type
        ]


SCHEDULES: tuple[Periodic, ...] = (
    Periodic(
        "documents: requeue stale processing",
        "documents.tasks.requeue_stale_documents",
        "I",
        minutes=5,
        description="documents a dead worker left in processing go back to the queue",
    ),
    Periodic(
        "ai: requeue stale runs",
        "ai.tasks.requeue_stale_runs",
        "I",
        minutes=5,
        description="AI runs a dead worker (or a lost enqueue) left behind go back to the queue",
    ),
    Periodic(
        "billing-sync-daily",
        "billing.tasks.sync_billing",
        "D",
        description="re-read Stripe and repair any workspace whose plan disagrees (a missed webhook heals)",
    ),
    Periodic(
        "cleanup-hourly",
        "orbit.tasks.cleanup",
        "H",
        description="manage.py cleanup: expired rows, trash past retention, orphaned files, stale claims",
    ),
)


def sync_schedules(**kwargs) -> dict:
    """Create or repair every declared schedule; returns {name: "created" | "updated" | "unchanged"}."""
    from django_q.models import Schedule

    outcome = {}
    for periodic in SCHEDULES:
        wanted = {
            "func": periodic.func,
            "schedule_type": periodic.schedule_type,
            "minutes": periodic.minutes,
            "repeats": -1,
        }
        schedule = Schedule.objects.filter(name=periodic.name).first()
        if schedule is None:
            # First run one period from now: a deploy (or a test database flushed between tests) does not set
            # every job off at once.
            Schedule.objects.create(name=periodic.name, next_run=timezone.now() + periodic.period, **wanted)
            outcome[periodic.name] = "created"
        elif any(getattr(schedule, field) != value for field, value in wanted.items()):
            Schedule.objects.filter(pk=schedule.pk).update(**wanted)
            outcome[periodic.name] = "updated"
        else:
            outcome[periodic.name] = "unchanged"
    return outcome
