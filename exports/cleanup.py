"""`manage.py cleanup` hook: exports past retention, files no export refers to, stalled exports requeued."""

from exports import services


def cleanup(now) -> dict:
    return {
        "expired exports removed": services.remove_expired(now=now),
        "unreferenced export files removed": services.remove_unreferenced_files(now=now),
        "stale exports requeued": services.requeue_stale(now=now),
    }
