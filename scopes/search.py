"""Full-text search over scopes: one weighted tsvector per scope, kept current by the services.

Title weighs most (A), then client name and summary (B), then section titles and text (C). The vector is
recomputed in SQL from the rows themselves, inside the transaction of the write that changed them, so it can
never be built from stale Python state. Query with `websearch_to_tsquery` (quotes, `or`, `-word`).
"""

from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, FloatField
from django.db.models.functions import Cast

CONFIG = "english"
# PostgreSQL refuses a tsvector over 1 MB, which ~100k distinct words reach; a scope that big would then fail
# every write that refreshes it. Only the start of long text is indexed (lexeme positions stop counting at
# 16,383 anyway): at most this many characters of summary, and of all section text together.
SUMMARY_CHARS = 100_000
SECTIONS_CHARS = 150_000

_REFRESH_SQL = f"""
UPDATE scopes_scope AS s SET search_vector =
    setweight(to_tsvector('{CONFIG}', coalesce(s.title, '')), 'A')
 || setweight(to_tsvector('{CONFIG}',
        coalesce(s.client_name, '') || ' ' || left(coalesce(s.summary, ''), {SUMMARY_CHARS})), 'B')
 || setweight(to_tsvector('{CONFIG}', left(coalesce((
        SELECT string_agg(sec.title || ' ' || left(sec.content, {SECTIONS_CHARS}), ' ' ORDER BY sec.position)
        FROM scopes_scopesection AS sec WHERE sec.scope_id = s.id
    ), ''), {SECTIONS_CHARS})), 'C')
WHERE s.id = ANY(%s::uuid[])
"""


def refresh(scope_ids: Iterable) -> None:
    ids = [str(scope_id) for scope_id in scope_ids]
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(_REFRESH_SQL, [ids])


class StatementSearchQuery(SearchQuery):
    """`websearch_to_tsquery(...)` as a scalar subquery, which PostgreSQL evaluates once per statement (an
    InitPlan). As a bare call it is folded to a constant only in a custom plan: the generic plan of a prepared
    statement, which the hot reads run (DB_PREPARED_STATEMENTS), parsed and stemmed the search text again for
    every row, twice (the match and the rank): 5.0 -> 3.1 ms of PostgreSQL for the bench's broad search (200
    matches), the same rows in the same order."""

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = super().as_sql(compiler, connection, function, template)
        return f"(SELECT {sql})", params


def search_query(text: str) -> SearchQuery:
    return StatementSearchQuery(text, config=CONFIG, search_type="websearch")


def apply(queryset, text: str):
    """Scopes matching `text`, annotated with `rank` (float8, so cursor pagination round-trips it exactly)."""
    query = search_query(text)
    return queryset.filter(search_vector=query).annotate(rank=Cast(SearchRank(F("search_vector"), query), FloatField()))
