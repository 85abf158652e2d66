"""`manage.py cleanup [--dry-run]`: every app's housekeeping (see orbit/housekeeping.py)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from orbit.housekeeping import run_cleanup


class Command(BaseCommand):
    help = (
        "Remove what every app leaves behind: expired invitations, tokens and idempotency keys, trash past "
        "retention, unconfirmed uploads, unreferenced export files, AI cache entries past retention; requeue "
        "stale document/AI/export claims. --dry-run prints what it would do and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be done; change nothing")

    def handle(self, *args, dry_run=False, **options):
        for label, counts in run_cleanup(now=timezone.now(), dry_run=dry_run).items():
            for what, count in counts.items():
                self.stdout.write(f"{label}: {what}: {count}")
        if dry_run:
            self.stdout.write("dry run: the counts are what a real run would do; nothing was changed")
