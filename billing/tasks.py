"""Billing tasks run by the worker (django-q2)."""

from billing.sync import sync_all


def sync_billing() -> dict:
    """The daily `billing_sync` (scheduled by `billing.schedule.ensure_schedule`); idempotent."""
    report = sync_all()
    return {"checked": report.checked, "repaired": len(report.repaired), "failed": len(report.failed)}
