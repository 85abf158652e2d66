"""The activity log's single write path. Call `record(...)` from services at each key action."""

from django.db import models

from workspaces.models import ActivityEvent


def record(*, workspace, actor, verb: str, target: models.Model | None = None, metadata: dict | None = None):
    """Append one event. `verb` is dotted, e.g. "member.invited"; `target` any model instance."""
    return ActivityEvent.objects.create(
        workspace=workspace,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        metadata=metadata or {},
    )
