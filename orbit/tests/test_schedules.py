"""Every periodic job is a django-q2 schedule registered by code after `migrate`, idempotently, and listed by
`manage.py schedules` with its next run."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from orbit.schedules import SCHEDULES, sync_schedules

pytestmark = pytest.mark.django_db


def test_migrate_registered_every_periodic_job():
    # The test database was built by migrate, whose post_migrate ran sync_schedules.
    registered = {s.name: (s.func, s.schedule_type, s.minutes, s.repeats) for s in Schedule.objects.all()}
    for periodic in SCHEDULES:
        assert registered[periodic.name] == (periodic.func, periodic.schedule_type, periodic.minutes, -1)


@pytest.mark.parametrize("periodic", SCHEDULES, ids=lambda periodic: periodic.name)
def test_every_scheduled_function_exists(periodic):
    from pydoc import locate

    assert callable(locate(periodic.func)), periodic.func


def test_sync_is_idempotent_and_repairs_a_changed_schedule_keeping_its_next_run():
    Schedule.objects.all().delete()
    assert set(sync_schedules().values()) == {"created"}
    assert set(sync_schedules().values()) == {"unchanged"}
    assert Schedule.objects.count() == len(SCHEDULES)

    name = "billing-sync-daily"
    Schedule.objects.filter(name=name).update(schedule_type=Schedule.HOURLY, func="billing.tasks.gone")
    next_run = Schedule.objects.get(name=name).next_run
    assert sync_schedules()[name] == "updated"
    repaired = Schedule.objects.get(name=name)
    assert (repaired.func, repaired.schedule_type, repaired.next_run) == ("billing.tasks.sync_billing", "D", next_run)


def test_migrate_again_adds_nothing():
    before = sorted(Schedule.objects.values_list("name", "func", "schedule_type"))
    call_command("migrate", verbosity=0)
    assert sorted(Schedule.objects.values_list("name", "func", "schedule_type")) == before


def test_schedules_command_lists_each_job_with_its_next_run():
    Schedule.objects.filter(name="cleanup-hourly").delete()
    out = StringIO()
    call_command("schedules", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(SCHEDULES)
    assert any(line.startswith("cleanup-hourly") and "NOT REGISTERED" in line for line in lines)
    assert any(line.startswith("billing-sync-daily") and "daily" in line and "next run" in line for line in lines)

    out = StringIO()
    call_command("schedules", "--sync", stdout=out)
    assert "created: cleanup-hourly" in out.getvalue()
    assert "NOT REGISTERED" not in out.getvalue()
