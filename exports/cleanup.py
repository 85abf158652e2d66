"""`manage.py cleanup` hook: exports past retention, files no export refers to, stalled exports requeued."""

from exports import services


def cleanup(*, now, dry_run: bool = False) -> dict:
    return {
        "expired exports removed": services.remove_expired(now=now, dry_run=dry_run),
        "unreferenced export files removed": services.remove_unreferenced_files(now=now, dry_run=dry_run),
        "stale exports requeued": services.requeue_stale(now=now, dry_run=dry_run),
    }
