"""Model instances from hand-joined rows, for the few fixed-shape reads every request makes.

The ORM compiles a query each time it runs one (~0.5-1 ms of CPU for a three-table join); a query whose shape never
changes can be written once from the models' own metadata and run through a cursor. `Columns` lists a model's
concrete columns under a table alias and turns that slice of a row back into an instance, with the same field
converters the ORM applies (e.g. JSONField's `from_db_value`) and `Model.from_db`, so the instance is the one the
ORM would have built (not deferred, `_state.adding` False, `_state.db` set).
"""

from django.db import connections


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
        values = list(row[start : start + len(self.fields)])
        for index, converters, expression in self._converters_for(connection):
            value = values[index]
            for converter in converters:
                value = converter(value, expression, connection)
            values[index] = value
        return self.model.from_db(using, self.attnames, values)
