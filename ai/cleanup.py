"""`manage.py cleanup` hook: AI runs a dead worker left behind go back to the queue; cached results not used
for AI_CACHE_RETENTION_DAYS are deleted (the runs that used them keep their own copy of the result)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q

from ai import runner
from ai.models import AIResultCache


def cleanup(*, now, dry_run: bool = False) -> dict:
    cutoff = now - timedelta(days=settings.AI_CACHE_RETENTION_DAYS)
    stale_cache = AIResultCache.objects.filter(
        Q(last_hit_at__lt=cutoff) | Q(last_hit_at__isnull=True, created_at__lt=cutoff)
    )
    return {
        "stale runs requeued": runner.requeue_stale(now=now, dry_run=dry_run),
        "cache entries past retention deleted": stale_cache.count() if dry_run else stale_cache.delete()[0],
    }
