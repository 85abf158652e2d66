"""The activity log's single write path. Call `record(...)` from services at each key action, with a `Verb`;
an update service calls `record_update(...)`, which applies the changes and records them when there were any."""

from django.db import models

from orbit.updates import apply_changes
from workspaces.models import ActivityEvent

Verb = ActivityEvent.Verb


# What an event can be about (`target_type`, a model label; "" for none). The schema lists these as an enum, so
# a new kind of target is added here first: record() refuses any other, like a free-string verb.
TARGET_TYPES = (
    "",
    "accounts.user",
    "workspaces.workspace",
    "workspaces.invitation",
    "scopes.project",
    "scopes.scope",
    "scope_templates.template",
    "documents.document",
    "exports.export",
    "ai.airun",
)


def record(
    *, workspace=None, actor, verb: Verb, target: models.Model | None = None, metadata: dict | None = None
) -> ActivityEvent:
    """Append one event. `verb` is an `ActivityEvent.Verb` (a new kind of event adds its member there first);
    `target` any model instance. A free string is refused, so a misspelt verb fails in the first test run.
    `workspace` defaults to the target's: name it only for an event with no target, or a target that does not
    belong to one workspace (a user, the workspace itself)."""
    if not isinstance(verb, Verb):
        raise TypeError(f"activity.record needs an ActivityEvent.Verb, not {verb!r}.")
    target_type = target._meta.label_lower if target is not None else ""
    if target_type not in TARGET_TYPES:
        raise TypeError(f"activity.record: add {target_type!r} to TARGET_TYPES (the schema's list) first.")
    if workspace is None and not hasattr(target, "workspace_id"):
        raise TypeError("activity.record: name the workspace, as the target does not give one.")
    return ActivityEvent.objects.create(
        workspace_id=target.workspace_id if workspace is None else workspace.pk,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        target_type=target_type,
        target_id=str(target.pk) if target is not None else "",
        metadata=metadata or {},
    )


def record_update(
    instance: models.Model,
    changes,
    *,
    fields,
    actor,
    verb: Verb,
    target: models.Model | None = None,
    workspace=None,
    metadata=None,
    **options,
) -> list[str]:
    """Update and record, the one way: `orbit.updates.apply_changes(instance, changes, fields=fields, **options)`
    (`replace`, `expected_version`), then, only when a field changed, one `verb` event on `target` (default: the
    instance) in `workspace` (default: the target's) with the metadata {"fields": <changed names>, **metadata};
    `metadata` may be a callable, read after the change (the new version, say). Returns the changed names."""
    changed = apply_changes(instance, changes, fields=fields, **options)
    if changed:
        target = instance if target is None else target
        extra = metadata() if callable(metadata) else metadata or {}
        record(workspace=workspace, actor=actor, verb=verb, target=target, metadata={"fields": changed, **extra})
    return changed
