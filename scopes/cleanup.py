"""Run by `manage.py cleanup`: purge scopes that have been in the trash longer than the retention period, and
recount the section and open-comment counts of any scope whose stored counts drifted (scopes.counts)."""

from scopes import counts
from scopes.services.scopes import purge_trashed


def cleanup(*, now, dry_run: bool = False) -> dict:
    return {
        "trashed scopes purged": purge_trashed(now=now, dry_run=dry_run),
        "scopes with drifted counts recounted": counts.repair(dry_run=dry_run),
    }
