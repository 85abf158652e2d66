"""Roles, removal, leaving and ownership transfer. A workspace always keeps at least one owner.

Every change first locks the workspace row, so two requests that would each remove "the other" owner run one
after the other and the second sees the first's result (no read-then-write race).
"""

from django.db import transaction

from orbit.errors import NotFound, PermissionDenied, ValidationFailed, not_in_workspace
from orbit.updates import apply_changes
from workspaces.activity import Verb, record
from workspaces.errors import LastOwner
from workspaces.models import Membership, Workspace

Role = Membership.Role


def _refresh(membership: Membership) -> Membership:
    current = Membership.objects.select_related("user").filter(pk=membership.pk).first()
    if current is None:
        raise NotFound("This member has already left the workspace.")
    return current


def _other_owners(membership: Membership) -> int:
    return (
        Membership.objects.filter(workspace_id=membership.workspace_id, role=Role.OWNER)
        .exclude(pk=membership.pk)
        .count()
    )


def _ensure_not_last_owner(membership: Membership) -> None:
    if membership.role == Role.OWNER and _other_owners(membership) == 0:
        raise LastOwner()


def _hand_over_billing_owner(membership: Membership) -> None:
    """`membership` stops being an owner: if it held `Workspace.owner` (the billing contact), the longest-standing
    remaining owner takes it over. Callers have checked that one remains and hold the workspace lock."""
    workspace = Workspace.objects.get(pk=membership.workspace_id)
    if workspace.owner_id != membership.user_id:
        return
    successor = (
        Membership.objects.filter(workspace_id=workspace.pk, role=Role.OWNER)
        .exclude(pk=membership.pk)
        .order_by("created_at")
        .first()
    )
    workspace.owner_id = successor.user_id
    workspace.save(update_fields=["owner", "updated_at"])


@transaction.atomic
def change_role(*, membership: Membership, role: int, actor_membership: Membership) -> Membership:
    """Admins manage editors, viewers and other admins; only an owner grants or revokes the owner role."""
    Workspace.objects.lock(membership.workspace.pk)
    membership = _refresh(membership)
    previous = membership.role
    if previous == role:
        return membership
    if Role.OWNER in (previous, role) and actor_membership.role < Role.OWNER:
        raise PermissionDenied("Only an owner can grant or revoke the owner role.")
    if previous == Role.OWNER:
        _ensure_not_last_owner(membership)
        _hand_over_billing_owner(membership)
    apply_changes(membership, {"role": role}, fields=("role",))
    record(
        workspace=membership.workspace,
        actor=actor_membership.user,
        verb=Verb.MEMBER_ROLE_CHANGED,
        target=membership.user,
        metadata={"from": Role(previous).label, "to": Role(role).label},
    )
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, actor_membership: Membership) -> None:
    Workspace.objects.lock(membership.workspace.pk)
    membership = _refresh(membership)
    if membership.role == Role.OWNER and actor_membership.role < Role.OWNER:
        raise PermissionDenied("Only an owner can remove an owner.")
    _ensure_not_last_owner(membership)
    if membership.role == Role.OWNER:
        _hand_over_billing_owner(membership)
    membership.delete()
    record(
        workspace=membership.workspace,
        actor=actor_membership.user,
        verb=Verb.MEMBER_REMOVED,
        target=membership.user,
        metadata={"role": Role(membership.role).label},
    )


@transaction.atomic
def leave_workspace(*, membership: Membership) -> None:
    Workspace.objects.lock(membership.workspace.pk)
    membership = _refresh(membership)
    _ensure_not_last_owner(membership)
    if membership.role == Role.OWNER:
        _hand_over_billing_owner(membership)
    membership.delete()
    record(workspace=membership.workspace, actor=membership.user, verb=Verb.MEMBER_LEFT, target=membership.user)


@transaction.atomic
def transfer_ownership(*, workspace: Workspace, actor_membership: Membership, to_user_id) -> Membership:
    """The chosen member becomes owner (and the workspace's billing owner); the caller steps down to admin."""
    Workspace.objects.lock(workspace.pk)
    actor_membership = _refresh(actor_membership)
    if actor_membership.role < Role.OWNER:
        raise PermissionDenied("Only an owner can transfer ownership.")
    target = Membership.objects.select_related("user").filter(workspace=workspace, user_id=to_user_id).first()
    if target is None:
        raise not_in_workspace("user_id", to_user_id)  # not a member: not "in this workspace" (README)
    if target.pk == actor_membership.pk:
        raise ValidationFailed("You already own this workspace.", details={"user_id": ["That is you."]})
    target.role = Role.OWNER
    target.save(update_fields=["role", "updated_at"])
    actor_membership.role = Role.ADMIN
    actor_membership.save(update_fields=["role", "updated_at"])
    workspace.owner = target.user
    workspace.save(update_fields=["owner", "updated_at"])
    record(
        workspace=workspace,
        actor=actor_membership.user,
        verb=Verb.WORKSPACE_OWNERSHIP_TRANSFERRED,
        target=target.user,
        metadata={"from_user_id": str(actor_membership.user_id)},
    )
    return target
