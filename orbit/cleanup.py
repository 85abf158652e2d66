"""Housekeeping for the platform's own rows (run by `manage.py cleanup`)."""

from orbit.idempotency import purge_expired


def cleanup(*, now, dry_run: bool = False) -> dict:
    return {"expired idempotency keys": purge_expired(now=now, dry_run=dry_run)}
