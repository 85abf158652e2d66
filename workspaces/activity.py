"""The activity log's single write path. Call `record(...)` from services at each key action, with a `Verb`."""

from django.db import models

from workspaces.models import ActivityEvent

Verb = ActivityEvent.Verb


def record(*, workspace, actor, verb: Verb, target: models.Model | None = None, metadata: dict | None = None):
    """Append one event. `verb` is an `ActivityEvent.Verb` (a new kind of event adds its member there first);
    `target` any model instance. A free string is refused, so a misspelt verb fails in the first test run."""
    if not isinstance(verb, Verb):
        raise TypeError(f"activity.record needs an ActivityEvent.Verb, not {verb!r}.")
    return ActivityEvent.objects.create(
        workspace=workspace,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        metadata=metadata or {},
    )
