"""The daily billing sync schedule, registered idempotently after every `migrate` (so at each deploy)."""

SCHEDULE_NAME = "billing-sync-daily"
TASK = "billing.tasks.sync_billing"


def ensure_schedule(**kwargs) -> None:
    """Create the schedule once; a later run only puts back its task and cadence, keeping `next_run`."""
    from django_q.models import Schedule

    schedule, created = Schedule.objects.get_or_create(
        name=SCHEDULE_NAME, defaults={"func": TASK, "schedule_type": Schedule.DAILY, "repeats": -1}
    )
    if not created and (schedule.func, schedule.schedule_type, schedule.repeats) != (TASK, Schedule.DAILY, -1):
        Schedule.objects.filter(pk=schedule.pk).update(func=TASK, schedule_type=Schedule.DAILY, repeats=-1)
