"""The one way a service updates a model: `apply_changes(instance, changes, fields=...) -> list[str]`.

    changed = apply_changes(project, changes, fields=EDITABLE_FIELDS, replace=put)
    if changed:
        activity.record(..., verb=Verb.PROJECT_UPDATED, target=project, metadata={"fields": changed})

(update services call it through `workspaces.activity.record_update`, which records exactly that.)

What it does, in one transaction:
1. refuses a key that is not in `fields` (a programming error: views only pass serializer fields);
2. with `replace=True` (PUT), every field of `fields` that `changes` omits goes back to the model field's default
   (PATCH leaves it alone), so "PUT resets what you did not send" is decided here, not in each view;
3. locks the row (SELECT ... FOR UPDATE) and compares each value with the row as it is now, not with the copy
   the caller read earlier, so a value that only looks unchanged against a stale copy is still written;
4. on a model with a `version` column (orbit.concurrency), checks `expected_version` (412 with the current
   version when someone saved first, also when nothing would change) and bumps the version only on a change;
5. validates the changed fields (`full_clean` limited to them; model `clean()` runs as always) and saves only
   them plus `updated_at`/`version` (`save(update_fields=...)`); nothing is written when nothing changed;
6. leaves `instance` holding the row's fresh values and returns the names of the fields that changed, in the
   order of `fields`. Services record activity only when that list is not empty.

Keys are model field names; a relation may be given as the object (`project=<Project>`) or its id
(`project_id=<uuid>`) — either way the returned name is the field's name (`project`). Unsetting is just a value:
`None` (or the field's empty value), never a sentinel.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from orbit.concurrency import lost_update
from orbit.errors import NotFound


def _field(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)  # also finds a foreign key by its attname ("project_id")
    if not field.concrete:
        raise ValueError(f"{model.__name__}.{name} is not a column.")
    return field


def _raw(field: models.Field, value: Any) -> Any:
    """The value as stored in the row (a related object's primary key for a foreign key)."""
    if field.is_relation and isinstance(value, models.Model):
        return value.pk
    return value


def put_values(model: type[models.Model], changes: Mapping[str, Any], fields: Iterable[str]) -> dict:
    """`changes` completed with the default of every field of `fields` it omits (PUT semantics)."""
    given = {_field(model, name).name for name in changes}
    defaults = {}
    for name in fields:
        field = _field(model, name)
        if field.name not in given:
            defaults[field.name] = field.get_default()
    return {**defaults, **changes}


@transaction.atomic
def apply_changes(
    instance: models.Model,
    changes: Mapping[str, Any],
    *,
    fields: Iterable[str],
    replace: bool = False,
    expected_version: int | None = None,
) -> list[str]:
    """Apply `changes` to `instance`'s row, save only what changed, return the names of the changed fields."""
    model = type(instance)
    fields = tuple(fields)
    allowed = {_field(model, name).name for name in fields}
    unknown = sorted(name for name in changes if _field(model, name).name not in allowed)
    if unknown:
        raise ValueError(f"{model.__name__}: not editable here: {', '.join(unknown)}.")
    if replace:
        changes = put_values(model, changes, fields)

    locked = model._default_manager.select_for_update().filter(pk=instance.pk).first()
    if locked is None:
        raise NotFound()
    versioned = any(f.name == "version" for f in model._meta.concrete_fields)
    if versioned and expected_version is not None and locked.version != expected_version:
        raise lost_update(expected=expected_version, current=locked.version)

    changed_fields = []
    for name, value in changes.items():
        field = _field(model, name)
        if getattr(locked, field.attname) != _raw(field, value):
            setattr(locked, field.attname if name == field.attname else field.name, value)
            changed_fields.append(field)
    order = {name: index for index, name in enumerate(_field(model, n).name for n in fields)}
    changed = sorted((f.name for f in changed_fields), key=order.__getitem__)

    if changed:
        unchanged = [f.name for f in model._meta.concrete_fields if f.name not in changed]
        locked.full_clean(exclude=unchanged)
        update_fields = [f.name for f in changed_fields]
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            locked.updated_at = timezone.now()
            update_fields.append("updated_at")
        if versioned:
            locked.version += 1
            update_fields.append("version")
        locked.save(update_fields=update_fields)

    # The caller's object takes the row's current state (setting an id drops a stale cached relation).
    for field in model._meta.concrete_fields:
        setattr(instance, field.attname, getattr(locked, field.attname))
    for field in changed_fields:
        if field.is_relation:
            setattr(instance, field.name, getattr(locked, field.name))
    return changed
