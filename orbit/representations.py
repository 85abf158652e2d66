"""The lean read paths: a declared serializer's `to_representation`, compiled once into one function that builds
the same dict from a flat `.values()` row (the apps' equality tests prove it byte for byte).

DRF's serializers cost a field object, a `get_attribute` and a `to_representation` call per field per row; a
25-row page spent more CPU in them than in its SQL. `lean(SerializerClass)` reads the serializer's own fields
(their names, order, classes and nesting) and writes the source of a function made of one dict literal, the way
`dataclasses` writes `__init__`: each value is the conversion the DRF field does, inlined. So the serializer stays
the one declaration (and the schema's source): a field added there is answered here with no second list to keep.

A field class with no conversion below fails at import, naming the field, rather than answering something else.
"""

from collections.abc import Callable

from django.utils import timezone
from rest_framework import serializers


def datetime_json(value, zone=None) -> str | None:
    """DRF DateTimeField: in the current time zone (`zone`, when the caller looked it up once), ISO 8601, UTC
    written "Z"."""
    if not value:
        return None
    text = value.astimezone(zone or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _float(value) -> float | None:
    return None if value is None else float(value)


def _uuid(value) -> str | None:
    return None if value is None else str(value)


# What each DRF field's `to_representation` does to a value read from the database, as an expression over `{}`.
# Looked up along the field's class hierarchy (an EmailField is a CharField). A serializer skips the conversion
# of a None, which the None-safe helpers keep; identities stand where the database already gives the JSON type.
_CONVERSIONS = {
    serializers.UUIDField: ("str({})", "_uuid({})"),  # (not nullable, nullable)
    serializers.DateTimeField: ("datetime_json({}, zone)",) * 2,
    serializers.FloatField: ("_float({})",) * 2,
    serializers.IntegerField: ("{}",) * 2,
    serializers.BooleanField: ("{}",) * 2,
    serializers.CharField: ("{}",) * 2,
    serializers.ChoiceField: ("{}",) * 2,
    serializers.JSONField: ("{}",) * 2,
}


def _conversion(field: serializers.Field) -> str | None:
    for cls in type(field).__mro__:
        if cls in _CONVERSIONS:
            plain, nullable = _CONVERSIONS[cls]
            return nullable if field.allow_null else plain
    return None


class _Writer:
    """Writes the source of one function per serializer (nested ones included) into one namespace."""

    def __init__(self):
        self.functions: list[str] = []
        self.values: list[str] = []  # every row key read, in order

    def function(self, serializer: serializers.Serializer, name: str, prefix: str, computed: dict, skip) -> None:
        """Writes `name(row, zone)`; the outermost (no prefix) as `name(row, zone=None)`, which looks `zone` up."""
        items = []
        for field_name, field in serializer.fields.items():
            if field_name in skip:
                continue
            if field_name in computed:
                items.append(f"{field_name!r}: {computed[field_name]}")
                continue
            if isinstance(field, serializers.BaseSerializer) and not isinstance(field, serializers.ListSerializer):
                nested = f"{name}_{field_name}"
                self.function(field, nested, f"{prefix}{field_name}__", {}, ())
                items.append(f"{field_name!r}: {nested}(row, zone)")
                continue
            conversion = _conversion(field)
            if conversion is None:
                raise TypeError(
                    f"lean({type(serializer).__name__}): no conversion for {field_name!r} "
                    f"({type(field).__name__}); give it in `computed` or `skip` it."
                )
            key = f"{prefix}{field_name}"
            self.values.append(key)
            items.append(f"{field_name!r}: " + conversion.format(f"row[{key!r}]"))
        body = "{" + ", ".join(items) + "}"
        if prefix:
            head = f"def {name}(row, zone):\n    if row[{prefix + 'id'!r}] is None:\n        return None\n"
        else:
            head = f"def {name}(row, zone=None):\n    zone = zone or get_current_timezone()\n"
        self.functions.append(f"{head}    return {body}\n")


def lean(
    serializer_class: type[serializers.Serializer],
    *,
    computed: dict[str, str] | None = None,
    skip: tuple[str, ...] = (),
) -> Callable[..., dict]:
    """`serializer_class(instance).data` as `f(row, zone=None)` over a `.values()` row: a nested serializer's
    fields are read as `<field>__<name>` (None when its `id` is), `computed` gives a field's expression over `row`
    and `zone` (a SerializerMethodField's, say), `skip` leaves fields out (many=True ones, which the caller adds).
    `f.values` lists the row keys `f` reads, for the `.values()` that feeds it."""
    writer = _Writer()
    writer.function(serializer_class(), "lean", "", computed or {}, set(skip))
    source = "\n".join(writer.functions)  # nested functions first, as they are written
    namespace = {
        "datetime_json": datetime_json,
        "_float": _float,
        "_uuid": _uuid,
        "get_current_timezone": timezone.get_current_timezone,
    }
    # The source is ours: names come from serializer declarations (written with repr), expressions from code.
    exec(compile(source, f"<lean {serializer_class.__name__}>", "exec"), namespace)
    function = namespace["lean"]
    function.__qualname__ = function.__name__ = f"lean_{serializer_class.__name__}"
    function.__doc__ = f"{serializer_class.__name__}, for a `.values()` row of `.values` (orbit.representations)."
    function.values = writer.values
    function.source = source
    return function


def instance_row(instance, keys) -> dict:
    """The `.values(*keys)` row of a model instance: `a__b` read through the relation `a` (None past a None)."""
    row = {}
    for key in keys:
        value = instance
        for name in key.split("__"):
            value = getattr(value, name)
            if value is None:
                break
        row[key] = value
    return row
