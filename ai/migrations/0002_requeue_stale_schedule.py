"""Schedule the sweep that picks up AI runs a dead worker (or a lost enqueue) left behind (every 5 minutes): now declared in orbit/schedules.py.

The schedule is registered by `orbit.schedules.sync_schedules` after every `migrate` (at each deploy), not by
this migration, which stays empty so that the migration graph of existing databases is unchanged.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ai", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = []
