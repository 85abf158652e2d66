"""Reads for other apps."""

from ai.models import AIRun


def ai_calls_since(workspace, since) -> int:
    """`ai_calls_per_month` usage: every run asked for since `since`, except cache hits and runs that never reached
    a provider (counted when queued, so runs waiting in the queue hold their place)."""
    return AIRun.objects.counted_since(workspace, since).count()
