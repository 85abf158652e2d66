"""Reads of the workspaces app. Selectors own select_related/prefetch_related so lists stay at constant queries."""

import uuid
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.api.representations import USER_SUMMARY_FIELDS
from orbit.errors import NotFound
from orbit.rows import Columns, PageRows
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


class _MembershipWithUser:
    """`get_membership_or_404`'s query keyed by user id, with the user joined: one query answers both who the
    token's user is and what they may do in the URL's workspace (orbit.authentication)."""

    def __init__(self):
        self.membership = Columns(Membership, "m")
        self.user = Columns(get_user_model(), "u")
        self.workspace = Columns(Workspace, "w")
        self.sql = (
            f"SELECT {self.membership.sql}, {self.user.sql}, {self.workspace.sql}"
            f" FROM {Membership._meta.db_table} m"
            f" JOIN {get_user_model()._meta.db_table} u ON u.id = m.user_id"
            f" JOIN {Workspace._meta.db_table} w ON w.id = m.workspace_id"
            " WHERE m.user_id = %s AND m.workspace_id = %s AND w.deleted_at IS NULL"
        )

    def __call__(self, user_id, workspace_id) -> Membership | None:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [user_id, workspace_id])
            row = cursor.fetchone()
        if row is None:
            return None
        membership = self.membership.instance(row, 0, connection.alias)
        user = self.user.instance(row, len(self.membership), connection.alias)
        workspace = self.workspace.instance(row, len(self.membership) + len(self.user), connection.alias)
        Membership.user.field.set_cached_value(membership, user)
        Membership.workspace.field.set_cached_value(membership, workspace)
        return membership


_membership_with_user = None


def membership_with_user(*, user_id, workspace_id) -> Membership | None:
    """The membership of `user_id` in the live workspace `workspace_id`, its `user` and `workspace` loaded, in one
    query; None when there is none (not a member, no such user, or the workspace is deleted)."""
    global _membership_with_user
    if _membership_with_user is None:
        _membership_with_user = _MembershipWithUser()  # at first use: the user model is known once apps are ready
    return _membership_with_user(user_id, workspace_id)


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


# The activity feed's lean read (workspaces/api/representations.py turns a row into ActivityEventSerializer's
# JSON): activity_queryset of the workspace as `.values()` rows, compiled once per ordering and cursor side.
ACTIVITY_VALUES = [
    "id",
    "verb",
    *(f"actor__{name}" for name in USER_SUMMARY_FIELDS),
    "target_type",
    "target_id",
    "metadata",
    "created_at",
]
_WORKSPACE = uuid.UUID("0e7e4a35-4c0c-4d1a-9a0e-5e9f1d3c0011")  # a stand-in while a shape compiles
_CREATED_AT = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)


def _activity_shape():
    return activity_queryset().filter(workspace=_WORKSPACE).values(*ACTIVITY_VALUES), {"workspace": _WORKSPACE}


def activity_rows(*, workspace_id) -> PageRows:
    """The feed of `workspace_id` for DRF's CursorPagination to order (by created_at), position and slice."""
    return PageRows(
        key=("workspaces.activity",),
        build=_activity_shape,
        values={"workspace": workspace_id},
        positions={"created_at": (_CREATED_AT, ActivityEvent._meta.get_field("created_at"))},
    )
