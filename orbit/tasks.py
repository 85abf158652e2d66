"""Tasks that belong to the platform rather than to a product app."""

import os
import socket

from django.utils import timezone


def ping(token: str) -> dict:
    """Proves a worker is consuming the queue: returns who ran it, stored as the django-q task result.

    Operators can enqueue it (`async_task("orbit.tasks.ping", "manual-check")`) and read the result in admin.
    """
    return {"token": token, "pid": os.getpid(), "host": socket.gethostname(), "at": timezone.now().isoformat()}


def cleanup() -> dict:
    """Scheduled hourly (orbit/schedules.py): what `manage.py cleanup` does; idempotent."""
    from orbit.housekeeping import run_cleanup

    return run_cleanup(now=timezone.now(), dry_run=False)
