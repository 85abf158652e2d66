"""`manage.py schedules`: the periodic jobs, their cadence and next run; `--sync` registers them now."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from orbit.schedules import SCHEDULES, sync_schedules

_CADENCE = {"I": "every {minutes} min", "H": "hourly", "D": "daily", "W": "weekly", "M": "monthly"}


class Command(BaseCommand):
    help = "List Orbit's periodic jobs (django-q2 schedules) with their next run; --sync registers them first."

    def add_arguments(self, parser):
        parser.add_argument("--sync", action="store_true", help="create or repair the schedules (migrate does too)")

    def handle(self, *args, sync=False, **options):
        from django_q.models import Schedule

        if sync:
            for name, outcome in sync_schedules().items():
                self.stdout.write(f"{outcome}: {name}")
        rows = {schedule.name: schedule for schedule in Schedule.objects.filter(name__in=[p.name for p in SCHEDULES])}
        now = timezone.now()
        for periodic in SCHEDULES:
            cadence = _CADENCE.get(periodic.schedule_type, periodic.schedule_type).format(minutes=periodic.minutes)
            schedule = rows.get(periodic.name)
            if schedule is None:
                when = "NOT REGISTERED (run migrate or schedules --sync)"
            else:
                seconds = int((schedule.next_run - now).total_seconds()) if schedule.next_run else None
                due = "due now" if seconds is not None and seconds <= 0 else f"in {seconds} s"
                when = f"next run {schedule.next_run:%Y-%m-%d %H:%M:%S %Z} ({due})"
            self.stdout.write(f"{periodic.name:<40} {cadence:<14} {periodic.func:<45} {when}")
