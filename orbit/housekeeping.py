"""`manage.py cleanup` and its hourly schedule: every app that leaves something behind has `<app>/cleanup.py`
with `cleanup(*, now, dry_run) -> {what: count}`.

A dry run counts what a real run would remove or requeue and changes nothing. Each app's hook is idempotent (a
second run finds nothing) and runs in its own transaction, so one app's failure does not undo another's work.
Every run logs one JSON line (`cleanup_finished`) with all the counts.
"""

from __future__ import annotations

from importlib import import_module

import structlog
from django.apps import apps

logger = structlog.get_logger("orbit.housekeeping")


def cleanup_modules():
    for config in apps.get_app_configs():
        try:
            yield config.label, import_module(f"{config.name}.cleanup")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.cleanup":
                raise


def run_cleanup(*, now, dry_run: bool) -> dict:
    """{app label: {what: count}} for every app's hook."""
    counts = {label: module.cleanup(now=now, dry_run=dry_run) for label, module in cleanup_modules()}
    logger.info("cleanup_finished", dry_run=dry_run, counts=counts)
    return counts
