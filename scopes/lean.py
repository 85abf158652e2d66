"""Lean reads of the hot scope endpoints (list, search, trash, detail): the querysets `selectors` builds, compiled
once per shape (orbit.rows.CompiledValues) and run as rows of `scopes.api.representations.SCOPE_VALUES`.

A shape is what changes the SQL: trashed or live, searched or not, the ordering, and which side of a cursor
position. The values of a request (workspace, user, search text, position, scope id) are parameters, so no row
is ever served from a cache: each call runs its query. The ORM path (`ScopeViewSet` with filters) stays for every
other list parameter; tests/test_lean_reads.py proves both answer the same bytes.
"""

import uuid
from datetime import UTC, datetime

from django.db import connection
from django.db.models import FloatField

from orbit.rows import CompiledValues
from scopes import search, selectors
from scopes.api.representations import SCOPE_DETAIL_VALUES, SCOPE_VALUES, SECTION_VALUES
from scopes.models import Scope

# Stand-ins for a request's values while a shape compiles; a real value never equals one of them.
WORKSPACE = uuid.UUID("0e7e4a35-4c0c-4d1a-9a0e-5e9f1d3c0001")
USER = uuid.UUID("0e7e4a35-4c0c-4d1a-9a0e-5e9f1d3c0002")
SCOPE = uuid.UUID("0e7e4a35-4c0c-4d1a-9a0e-5e9f1d3c0003")
QUERY = "orbit-lean-sentinel-query-9f8e7d"
# A cursor position may stand on these fields (the list's default orderings); their ORM output fields prepare it.
POSITIONS = {
    "created_at": (datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC), Scope._meta.get_field("created_at")),
    "rank": (-987654.321, FloatField()),
}

_shapes: dict[tuple, CompiledValues] = {}


def _shape(key: tuple, build) -> CompiledValues:
    shape = _shapes.get(key)
    if shape is None:
        shape = _shapes[key] = CompiledValues(*build())
    return shape


def _scopes(*, trashed: bool):
    scopes = Scope.objects.all().filter(workspace=WORKSPACE)
    scopes = scopes.trashed() if trashed else scopes.alive()
    return selectors.with_list_annotations(scopes, user=USER)


class ScopeRows:
    """One list page to be, as much of a QuerySet as DRF's CursorPagination uses: `order_by(*fields)`,
    `filter(<field>__lt=position)` or `__gt`, and a slice, which runs the query and returns the rows."""

    def __init__(self, *, workspace_id, user_id, trashed: bool, query: str | None, ordering=(), position=None):
        self.workspace_id, self.user_id, self.trashed, self.query = workspace_id, user_id, trashed, query
        self.ordering, self.position = tuple(ordering), position  # position: (field, "lt"|"gt", prepared value)

    def _copy(self, **changes) -> "ScopeRows":
        values = {
            "workspace_id": self.workspace_id,
            "user_id": self.user_id,
            "trashed": self.trashed,
            "query": self.query,
            "ordering": self.ordering,
            "position": self.position,
        }
        return ScopeRows(**(values | changes))

    def order_by(self, *fields) -> "ScopeRows":
        return self._copy(ordering=fields)

    def filter(self, **lookups) -> "ScopeRows":
        ((lookup, value),) = lookups.items()
        field, _, operator = lookup.rpartition("__")
        if field not in POSITIONS or operator not in ("lt", "gt") or (field == "rank" and not self.query):
            raise NotImplementedError(f"ScopeRows.filter({lookup}=...)")
        output_field = POSITIONS[field][1]
        # What the ORM's lookup does with the cursor's text: parse it (ValueError/ValidationError when forged),
        # then adapt it for the database.
        prepared = output_field.get_db_prep_value(output_field.get_prep_value(value), connection, prepared=True)
        return self._copy(position=(field, operator, prepared))

    def _compiled(self) -> CompiledValues:
        searched = bool(self.query)
        field, operator = self.position[:2] if self.position else (None, None)
        key = ("list", self.trashed, searched, self.ordering, field, operator)

        def build():
            scopes = _scopes(trashed=self.trashed)
            sentinels = {"workspace": WORKSPACE, "user": USER}
            if searched:
                scopes = search.apply(scopes, QUERY)
                sentinels["query"] = QUERY
            scopes = scopes.order_by(*self.ordering)
            if field:
                scopes = scopes.filter(**{f"{field}__{operator}": POSITIONS[field][0]})
                sentinels["position"] = POSITIONS[field][0]
            return scopes.values(*SCOPE_VALUES, *(["rank"] if searched else [])), sentinels

        return _shape(key, build)

    def __getitem__(self, window: slice) -> list[dict]:
        if not isinstance(window, slice) or window.step is not None or window.stop is None:
            raise TypeError("ScopeRows takes one slice [start:stop]")
        start = window.start or 0
        values = {
            "workspace": self.workspace_id,
            "user": self.user_id,
            "query": self.query,
            "position": self.position[2] if self.position else None,
        }
        return self._compiled().rows(values, limit=window.stop - start, offset=start)


def scope_detail_rows(*, workspace_id, user_id, scope_id) -> tuple[dict, list[dict]] | None:
    """A live scope of the workspace as a SCOPE_DETAIL_VALUES row and its sections (SECTION_VALUES rows, in
    order), as `selectors.with_detail` reads it; None when there is no such scope."""
    scope = _shape(
        ("detail",),
        lambda: (
            _scopes(trashed=False).filter(pk=SCOPE).values(*SCOPE_DETAIL_VALUES),
            {"workspace": WORKSPACE, "user": USER, "scope": SCOPE},
        ),
    )
    rows = scope.rows({"workspace": workspace_id, "user": user_id, "scope": scope_id})
    if not rows:
        return None
    sections = _shape(
        ("sections",),
        lambda: (selectors.sections_queryset().filter(scope=SCOPE).values(*SECTION_VALUES), {"scope": SCOPE}),
    )
    return rows[0], sections.rows({"scope": scope_id})
