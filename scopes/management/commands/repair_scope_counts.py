"""`manage.py repair_scope_counts [--dry-run]`: recount the section and open-comment counts of every scope whose
stored counts differ from its rows (scopes.counts); the hourly cleanup does the same."""

from django.core.management.base import BaseCommand

from scopes import counts


class Command(BaseCommand):
    help = (
        "Recount Scope.section_count and Scope.open_comment_count where they differ from the sections and comments "
        "(rows written behind the services' back). --dry-run only counts the rows that would be fixed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count the drifted rows; change nothing")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            self.stdout.write(f"{counts.repair(dry_run=True)} scope(s) with drifted counts; nothing was changed")
        else:
            self.stdout.write(f"{counts.repair()} scope(s) with drifted counts fixed")
