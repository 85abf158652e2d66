"""Run by `manage.py cleanup`: purge scopes that have been in the trash longer than the retention period."""

from scopes.services.scopes import purge_trashed


def cleanup(*, now, dry_run: bool = False) -> dict:
    return {"trashed scopes purged": purge_trashed(now=now, dry_run=dry_run)}
