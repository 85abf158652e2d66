"""Housekeeping for `manage.py cleanup`: invitations that expired long ago are deleted.

Accepted invitations stay (they record who invited whom); revoked or never-used ones that expired more than
INVITATION_RETENTION_DAYS ago go. Idempotent: a second run finds nothing.
"""

from datetime import timedelta

from django.conf import settings

from workspaces.models import Invitation


def cleanup(*, now, dry_run: bool = False) -> dict:
    cutoff = now - timedelta(days=settings.INVITATION_RETENTION_DAYS)
    expired = Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=cutoff)
    if dry_run:
        return {"expired invitations deleted": expired.count()}
    deleted, _ = expired.delete()
    return {"expired invitations deleted": deleted}
