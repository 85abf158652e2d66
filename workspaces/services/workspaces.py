"""Creating, updating and (soft) deleting workspaces."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from orbit.errors import ValidationFailed
from workspaces.activity import Verb, record, record_update
from workspaces.models import Membership, Workspace

SLUG_MAX = 64
UPDATABLE_FIELDS = ("name", "slug", "industry", "team_size", "privacy", "goals", "logo_url", "primary_color")


def slug_base(name: str) -> str:
    return slugify(name)[: SLUG_MAX - 8].strip("-") or "workspace"


def _save_with_unique_slug(workspace: Workspace, base: str) -> None:
    """Insert `workspace` under `base`, `base-2`, `base-3`... The unique index is the arbiter, so two
    requests creating "Acme" at the same moment both succeed with different slugs."""
    taken = set(Workspace.objects.filter(slug__regex=rf"^{base}(-[0-9]+)?$").values_list("slug", flat=True))
    number = 1
    while True:
        candidate = base if number == 1 else f"{base}-{number}"
        number += 1
        if candidate in taken:
            continue
        workspace.slug = candidate
        try:
            with transaction.atomic():
                workspace.save()
            return
        except IntegrityError:
            if Workspace.objects.filter(slug=candidate).exists():
                continue
            raise


@transaction.atomic
def create_workspace(*, owner, name: str, industry: str = "", **fields) -> Workspace:
    workspace = Workspace(owner=owner, name=name.strip(), industry=industry, **fields)
    workspace.full_clean(exclude=["slug"])
    _save_with_unique_slug(workspace, slug_base(workspace.name))
    Membership.objects.create(workspace=workspace, user=owner, role=Membership.Role.OWNER)
    record(workspace=workspace, actor=owner, verb=Verb.WORKSPACE_CREATED, target=workspace)
    return workspace


@transaction.atomic
def update_workspace(*, workspace: Workspace, actor, changes: dict) -> Workspace:
    if "slug" in changes:
        changes = {**changes, "slug": slugify(changes["slug"])}
        if not changes["slug"]:
            raise ValidationFailed("Enter a slug of letters, digits and hyphens.", details={"slug": ["Invalid."]})
        if Workspace.objects.filter(slug=changes["slug"]).exclude(pk=workspace.pk).exists():
            raise ValidationFailed("This slug is already taken.", details={"slug": ["This slug is already taken."]})
    try:
        record_update(
            workspace, changes, fields=UPDATABLE_FIELDS, workspace=workspace, actor=actor, verb=Verb.WORKSPACE_UPDATED
        )
    except IntegrityError as exc:  # a concurrent rename to the same slug
        raise ValidationFailed(
            "This slug is already taken.", details={"slug": ["This slug is already taken."]}
        ) from exc
    return workspace


@transaction.atomic
def delete_workspace(*, workspace: Workspace, actor) -> None:
    """Soft delete: the workspace disappears for everyone at once (membership resolution skips it)."""
    workspace.deleted_at = timezone.now()
    workspace.save(update_fields=["deleted_at", "updated_at"])
    record(workspace=workspace, actor=actor, verb=Verb.WORKSPACE_DELETED, target=workspace)


@transaction.atomic
def restore_workspace(*, workspace: Workspace, actor) -> bool:
    """Undo a soft delete (staff, from the admin). Returns False when the workspace was not deleted."""
    restored = Workspace.objects.filter(pk=workspace.pk, deleted_at__isnull=False).update(
        deleted_at=None, updated_at=timezone.now()
    )
    if restored:
        workspace.refresh_from_db()
        record(workspace=workspace, actor=actor, verb=Verb.WORKSPACE_RESTORED, target=workspace)
    return bool(restored)
