from orbit.errors import NotFound
from workspaces.models import Membership


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
