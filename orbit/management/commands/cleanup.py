"""Operators' housekeeping: every app that has something to clean exposes `<app>/cleanup.py:cleanup(now)`.

Each `cleanup(now)` is idempotent and returns {what: how many}. Run it from cron or a django-q schedule.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import timezone


def cleanup_modules():
    for config in apps.get_app_configs():
        try:
            yield config.label, import_module(f"{config.name}.cleanup")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.cleanup":
                raise


class Command(BaseCommand):
    help = "Remove expired invitations and tokens, trashed scopes past retention, orphaned uploads, stale exports."

    def handle(self, *args, **options):
        now = timezone.now()
        for label, module in cleanup_modules():
            for what, count in module.cleanup(now=now).items():
                self.stdout.write(f"{label}: {what}: {count}")
