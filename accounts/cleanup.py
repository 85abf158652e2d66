"""Housekeeping for accounts: expired simplejwt tokens and audit rows past retention."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.models import AuthEvent

# How long the authentication audit trail is kept (settings.AUTH_EVENT_RETENTION_DAYS overrides).
DEFAULT_AUTH_EVENT_RETENTION_DAYS = 365


@transaction.atomic
def cleanup(*, now: datetime, dry_run: bool = False) -> dict:
    """Delete refresh tokens that expired (and their blacklist entries) and audit rows past retention.

    An expired refresh token is refused on its own, so its outstanding/blacklist rows serve nothing.
    Idempotent. A dry run counts the same rows and deletes nothing.
    """
    expired = OutstandingToken.objects.filter(expires_at__lte=now)
    retention = timedelta(days=getattr(settings, "AUTH_EVENT_RETENTION_DAYS", DEFAULT_AUTH_EVENT_RETENTION_DAYS))
    old_events = AuthEvent.objects.filter(created_at__lt=now - retention)
    if dry_run:
        return {
            "expired_refresh_tokens": expired.count(),
            "expired_blacklist_entries": BlacklistedToken.objects.filter(token__in=expired).count(),
            "auth_events_past_retention": old_events.count(),
        }
    _, deleted = expired.delete()  # cascades to BlacklistedToken
    events, _ = old_events.delete()
    return {
        "expired_refresh_tokens": deleted.get(OutstandingToken._meta.label, 0),
        "expired_blacklist_entries": deleted.get(BlacklistedToken._meta.label, 0),
        "auth_events_past_retention": events,
    }
