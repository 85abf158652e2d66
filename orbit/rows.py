"""Model instances from hand-joined rows, for the few fixed-shape reads every request makes.

The ORM compiles a query each time it runs one (~0.5-1 ms of CPU for a three-table join); a query whose shape never
changes can be written once from the models' own metadata and run through a cursor. `Columns` lists a model's
concrete columns under a table alias and turns that slice of a row back into an instance, with the same field
converters the ORM applies (e.g. JSONField's `from_db_value`) and `Model.from_db`, so the instance is the one the
ORM would have built (not deferred, `_state.adding` False, `_state.db` set).
"""

from django.db import connections


def _convert(values: list, converters, connection) -> list:
    """`values` (one row) with each (index, [converter], expression) of `converters` applied, as the ORM does."""
    for index, functions, expression in converters:
        value = values[index]
        for function in functions:
            value = function(value, expression, connection)
        values[index] = value
    return values


class Columns:
    def __init__(self, model, alias: str):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [field.attname for field in self.fields]
        self.sql = ", ".join(f'{alias}."{field.column}"' for field in self.fields)
        self._converters = {}  # database alias -> [(index, [converter], expression)]

    def __len__(self) -> int:
        return len(self.fields)

    def _converters_for(self, connection):
        found = self._converters.get(connection.alias)
        if found is None:
            found = []
            for index, field in enumerate(self.fields):
                expression = field.get_col(self.model._meta.db_table)
                converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
                if converters:
                    found.append((index, converters, expression))
            self._converters[connection.alias] = found
        return found

    def instance(self, row, start: int, using: str = "default"):
        """The instance of this model from `row[start:start + len(self)]`."""
        connection = connections[using]
        values = _convert(list(row[start : start + len(self.fields)]), self._converters_for(connection), connection)
        return self.model.from_db(using, self.attnames, values)


class CompiledValues:
    """A `.values()` query compiled once by the ORM, then run with new parameters through a cursor.

    Building and compiling a queryset costs more CPU than running it (a 25-row scope page: ~2.5 ms of ORM work
    for ~1 ms of SQL). A read whose shape is fixed by a few choices (searched or not, the ordering, a cursor
    position or not) is compiled once per shape from a queryset built with sentinels: distinct values that stand
    for the request's own (`sentinels`: name -> value). Each parameter of the compiled SQL is then either one of
    those names, filled in per call, or a constant of the shape. Only values the caller names can differ between
    two calls of one shape, so the SQL, the column names and the converters are exactly what the ORM would run
    for the real values, and each call costs one cursor execute. Rows come back as the dicts `.values()` yields.
    """

    def __init__(self, queryset, sentinels: dict):
        query = queryset.query
        self.using = queryset.db
        compiler = query.get_compiler(using=self.using)
        sql, params = compiler.as_sql()
        self.sql = sql
        self.slots = []  # per parameter: (name, None) for a sentinel, (None, value) for a constant
        found = set()
        for param in params:
            name = next(
                (name for name, value in sentinels.items() if type(param) is type(value) and param == value), None
            )
            self.slots.append((name, None) if name else (None, param))
            found.add(name)
        missing = set(sentinels) - found
        if missing:
            raise ValueError(f"sentinels not found among the compiled parameters: {sorted(missing)}")
        self.names = (
            list(query.selected)
            if query.selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        self.converters = [
            (index, functions, expression) for index, (functions, expression) in compiler.get_converters(fields).items()
        ]

    def rows(self, values: dict, *, limit: int | None = None, offset: int = 0) -> list[dict]:
        params = [values[name] if name else constant for name, constant in self.slots]
        sql = self.sql
        if limit is not None:
            sql = f"{sql} LIMIT {int(limit)}"
        if offset:
            sql = f"{sql} OFFSET {int(offset)}"
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        names = self.names
        if not self.converters:
            return [dict(zip(names, row, strict=True)) for row in fetched]
        return [dict(zip(names, _convert(list(row), self.converters, connection), strict=True)) for row in fetched]


_shapes: dict[tuple, CompiledValues] = {}


def compiled(key: tuple, build) -> CompiledValues:
    """The read `key` names, compiled once per process from `build()`: (its queryset built with sentinels,
    {sentinel name: sentinel}). `key` must fix the SQL: everything a call may vary is a sentinel."""
    shape = _shapes.get(key)
    if shape is None:
        shape = _shapes[key] = CompiledValues(*build())
    return shape


class PageRows:
    """One page of a list to be, as much of a QuerySet as DRF's CursorPagination uses: `order_by(*fields)`,
    `filter(<field>__lt=position)` or `__gt`, and a slice, which runs the query and returns `.values()` rows.

    - `key`: what fixes the shape besides ordering and cursor side (hashable, unique to the caller's read);
    - `build()`: (the `.values()` queryset of that shape built with sentinels, {sentinel name: sentinel});
    - `values`: the request's value of each sentinel name;
    - `positions`: {field a cursor may stand on: (its sentinel, the output field that prepares a position)}.
    The shape is compiled once per (key, ordering, position field, lt/gt), its position under the name
    "position"; each slice runs one query with this request's values.
    """

    def __init__(self, *, key, build, values: dict, positions: dict, ordering=(), position=None):
        self.key, self.build, self.values, self.positions = key, build, values, positions
        self.ordering, self.position = tuple(ordering), position  # position: (field, "lt"|"gt", prepared value)

    def _copy(self, **changes) -> "PageRows":
        current = {"ordering": self.ordering, "position": self.position}
        return PageRows(
            key=self.key, build=self.build, values=self.values, positions=self.positions, **current | changes
        )

    def order_by(self, *fields) -> "PageRows":
        return self._copy(ordering=fields)

    def filter(self, **lookups) -> "PageRows":
        ((lookup, value),) = lookups.items()
        field, _, operator = lookup.rpartition("__")
        if field not in self.positions or operator not in ("lt", "gt"):
            raise NotImplementedError(f"PageRows.filter({lookup}=...)")
        output_field = self.positions[field][1]
        # What the ORM's lookup does with the cursor's text: parse it (ValueError/ValidationError when forged),
        # then adapt it for the database.
        connection = connections["default"]
        prepared = output_field.get_db_prep_value(output_field.get_prep_value(value), connection, prepared=True)
        return self._copy(position=(field, operator, prepared))

    def _compiled(self) -> CompiledValues:
        field, operator = self.position[:2] if self.position else (None, None)

        def build():
            queryset, sentinels = self.build()
            queryset = queryset.order_by(*self.ordering)
            if field:
                sentinel = self.positions[field][0]
                queryset = queryset.filter(**{f"{field}__{operator}": sentinel})
                sentinels = {**sentinels, "position": sentinel}
            return queryset, sentinels

        return compiled(("page", self.key, self.ordering, field, operator), build)

    def __getitem__(self, window: slice) -> list[dict]:
        if not isinstance(window, slice) or window.step is not None or window.stop is None:
            raise TypeError("PageRows takes one slice [start:stop]")
        start = window.start or 0
        values = {**self.values, "position": self.position[2] if self.position else None}
        return self._compiled().rows(values, limit=window.stop - start, offset=start)
