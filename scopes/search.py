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

_REFRESH_SQL = f"""
UPDATE scopes_scope AS s SET search_vector =
    setweight(to_tsvector('{CONFIG}', coalesce(s.title, '')), 'A')
 || setweight(to_tsvector('{CONFIG}', coalesce(s.client_name, '') || ' ' || coalesce(s.summary, '')), 'B')
 || setweight(to_tsvector('{CONFIG}', coalesce((
        SELECT string_agg(sec.title || ' ' || sec.content, ' ' ORDER BY sec.position)
        FROM scopes_scopesection AS sec WHERE sec.scope_id = s.id
    ), '')), 'C')
WHERE s.id = ANY(%s::uuid[])
"""


def refresh(scope_ids: Iterable) -> None:
    ids = [str(scope_id) for scope_id in scope_ids]
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(_REFRESH_SQL, [ids])


def search_query(text: str) -> SearchQuery:
    return SearchQuery(text, config=CONFIG, search_type="websearch")


def apply(queryset, text: str):
    """Scopes matching `text`, annotated with `rank` (float8, so cursor pagination round-trips it exactly)."""
    query = search_query(text)
    return queryset.filter(search_vector=query).annotate(rank=Cast(SearchRank(F("search_vector"), query), FloatField()))
