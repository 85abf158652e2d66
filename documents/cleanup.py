"""`manage.py cleanup` hook: orphaned pending uploads, and stale processing picked up again."""

from documents import services


def cleanup(*, now, dry_run: bool = False) -> dict:
    return {
        "orphaned uploads removed": services.remove_orphaned_uploads(now=now, dry_run=dry_run),
        "stale documents requeued": services.requeue_stale(now=now, dry_run=dry_run),
    }
