"""Housekeeping for the platform's own rows (run by `manage.py cleanup`)."""

from orbit.idempotency import purge_expired


def cleanup(now) -> dict:
    return {"expired idempotency keys": purge_expired(now=now)}
