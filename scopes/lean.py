"""Lean reads of the hot scope endpoints (list, search, trash, detail): the querysets `selectors` builds, compiled
once per shape (orbit.rows.CompiledValues) and run as rows of `scopes.api.representations.SCOPE_VALUES`.

A shape is what changes the SQL: trashed or live, searched or not, the ordering, and which side of a cursor
position. The values of a request (workspace, user, search text, position, scope id) are parameters, so no row
is ever served from a cache: each call runs its query. The ORM path (`ScopeViewSet` with filters) stays for every
other list parameter; tests/test_lean_reads.py proves both answer the same bytes.
"""

import uuid
from datetime import UTC, datetime

from django.db.models import FloatField

from orbit.rows import PageRows, compiled
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


def _scopes(*, trashed: bool):
    scopes = Scope.objects.all().filter(workspace=WORKSPACE)
    scopes = scopes.trashed() if trashed else scopes.alive()
    return selectors.with_list_annotations(scopes, user=USER)


def scope_rows(*, workspace_id, user_id, trashed: bool, query: str | None) -> PageRows:
    """The scope list (or trash, or search when `query`) of the workspace as `user_id` sees it (is_favourite):
    rows of SCOPE_VALUES (and `rank` when searched) for DRF's CursorPagination to order, position and slice."""
    searched = bool(query)

    def build():
        scopes = _scopes(trashed=trashed)
        sentinels = {"workspace": WORKSPACE, "user": USER}
        if searched:
            scopes = search.apply(scopes, QUERY)
            sentinels["query"] = QUERY
        return scopes.values(*SCOPE_VALUES, *(["rank"] if searched else [])), sentinels

    return PageRows(
        key=("scopes.list", trashed, searched),
        build=build,
        values={"workspace": workspace_id, "user": user_id, "query": query},
        positions=POSITIONS if searched else {"created_at": POSITIONS["created_at"]},
    )


def scope_detail_rows(*, workspace_id, user_id, scope_id) -> tuple[dict, list[dict]] | None:
    """A live scope of the workspace as a SCOPE_DETAIL_VALUES row and its sections (SECTION_VALUES rows, in
    order), as `selectors.with_detail` reads it; None when there is no such scope."""
    scope = compiled(
        ("scopes.detail",),
        lambda: (
            _scopes(trashed=False).filter(pk=SCOPE).values(*SCOPE_DETAIL_VALUES),
            {"workspace": WORKSPACE, "user": USER, "scope": SCOPE},
        ),
    )
    rows = scope.rows({"workspace": workspace_id, "user": user_id, "scope": scope_id})
    if not rows:
        return None
    sections = compiled(
        ("scopes.sections",),
        lambda: (selectors.sections_queryset().filter(scope=SCOPE).values(*SECTION_VALUES), {"scope": SCOPE}),
    )
    return rows[0], sections.rows({"scope": scope_id})
