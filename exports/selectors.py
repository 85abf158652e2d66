"""Reads for exports."""

from exports.models import Export


def exports_since(workspace, since) -> int:
    """Exports asked for since `since`, for the plan's exports_per_month. Cached answers create no row and
    retries reuse theirs, so neither counts again."""
    return Export.objects.filter(workspace=workspace, created_at__gte=since).count()
