"""Reads of the workspaces app. Selectors own select_related/prefetch_related so lists stay at constant queries."""

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from orbit.errors import NotFound
from workspaces.models import ActivityEvent, Invitation, Membership, Workspace


def get_membership_or_404(*, user, workspace_id) -> Membership:
    """The caller's membership of a live workspace. A non-member gets 404, never 403, so existence does not leak."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    membership = (
        Membership.objects.select_related("workspace")
        .filter(user=user, workspace_id=workspace_id, workspace__deleted_at__isnull=True)
        .first()
    )
    if membership is None:
        raise NotFound()
    return membership


def workspaces_for_user(*, user) -> QuerySet[Workspace]:
    """The live workspaces `user` belongs to, each annotated with `my_role`."""
    my_role = Membership.objects.filter(workspace=OuterRef("pk"), user=user).values("role")[:1]
    return Workspace.objects.for_user(user).annotate(my_role=Subquery(my_role)).select_related("owner")


def pending_invitations_q(now=None) -> Q:
    return Q(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now())


def count_seats(workspace, since=None) -> int:
    """Members plus live pending invitations: what the "members" plan limit counts."""
    members = Membership.objects.filter(workspace=workspace).count()
    pending = Invitation.objects.filter(pending_invitations_q(), workspace=workspace).count()
    return members + pending


def members_queryset() -> QuerySet[Membership]:
    return Membership.objects.select_related("user", "invited_by")


def invitations_queryset() -> QuerySet[Invitation]:
    """Open invitations (neither accepted nor revoked), expired ones included so they can be resent."""
    return Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).select_related("invited_by")


def activity_queryset() -> QuerySet[ActivityEvent]:
    return ActivityEvent.objects.select_related("actor")
