from django.core.management.base import BaseCommand

from billing.sync import sync_all


class Command(BaseCommand):
    help = "Re-read workspace customers and subscriptions from Stripe and repair any workspace whose plan disagrees."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print what would change; write nothing.")

    def handle(self, *args, dry_run=False, **options):
        report = sync_all(dry_run=dry_run)
        verb = "would repair" if dry_run else "repaired"
        for workspace, diff in report.repaired:
            described = ", ".join(f"{name}: {old!s} -> {new!s}" for name, (old, new) in diff.items())
            self.stdout.write(f"{verb} {workspace.pk} ({workspace.name}): {described}")
        for customer_id, error in report.failed:
            self.stderr.write(f"failed {customer_id}: {error}")
        for workspace, reason in report.left_alone:
            self.stdout.write(f"left alone {workspace.pk} ({workspace.name}): {reason}")
        self.stdout.write(
            f"{report.checked} customers checked, {len(report.repaired)} {verb}, {len(report.failed)} failed"
            + (" (dry run: nothing written)" if dry_run else "")
        )
