"""Housekeeping for accounts: expired simplejwt tokens and audit rows past retention."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.models import AuthEvent

# How long the authentication audit trail is kept (settings.AUTH_EVENT_RETENTION_DAYS overrides).
DEFAULT_AUTH_EVENT_RETENTION_DAYS = 365


@transaction.atomic
def cleanup(now: datetime) -> dict:
    """Delete refresh tokens that expired (and their blacklist entries) and audit rows past retention.

    An expired refresh token is refused on its own, so its outstanding/blacklist rows serve nothing.
    Idempotent.
    """
    expired = OutstandingToken.objects.filter(expires_at__lte=now)
    _, deleted = expired.delete()  # cascades to BlacklistedToken
    retention = timedelta(days=getattr(settings, "AUTH_EVENT_RETENTION_DAYS", DEFAULT_AUTH_EVENT_RETENTION_DAYS))
    events, _ = AuthEvent.objects.filter(created_at__lt=now - retention).delete()
    return {
        "expired_refresh_tokens": deleted.get(OutstandingToken._meta.label, 0),
        "expired_blacklist_entries": deleted.get(BlacklistedToken._meta.label, 0),
        "auth_events_past_retention": events,
    }
