"""A scope's section and open-comment counts, kept on its row (`Scope.section_count`, `Scope.open_comment_count`)
so that lists, details and search read two columns instead of counting per row.

What is counted (as the API always answered): every section of the scope; every comment of the scope, replies
included, that is neither deleted nor resolved (only a thread's first comment is ever resolved, so the replies of
a resolved thread still count).

`refresh(scope)` recounts them from the rows, in the transaction of every write that adds or removes a section or
adds, deletes, resolves or reopens a comment (scopes.services, the admin). The caller holds the scope's row lock
(`scopes.services.sections.lock_scope`), as every section and comment write already does: under READ COMMITTED
the recount then sees every write committed before it and none can land between it and the commit. A recount
rather than `F() + n` because the effect of a comment's delete or resolve depends on the state it was in, and a
recount also heals a row that drifted (raw SQL, a bulk edit behind the services' back).

The recount neither bumps `version` (the ETag) nor `updated_at`: adding a comment or a section does not change
the scope's own fields, and clients holding its ETag must not get a 412 for it.

`repair()` fixes rows whose counts differ from the tables (`manage.py repair_scope_counts`, and the hourly
cleanup through scopes/cleanup.py).
"""

from django.db import connection, transaction

_SECTIONS = "(SELECT count(*) FROM scopes_scopesection AS sec WHERE sec.scope_id = s.id)"
_OPEN_COMMENTS = (
    "(SELECT count(*) FROM scopes_comment AS com"
    " WHERE com.scope_id = s.id AND com.deleted_at IS NULL AND com.resolved_at IS NULL)"
)
# Every row's counts, recounted (migration 0003 backfilled them with the same statement).
RECOUNT_SQL = f"UPDATE scopes_scope AS s SET section_count = {_SECTIONS}, open_comment_count = {_OPEN_COMMENTS}"
_DRIFT = f"(s.section_count, s.open_comment_count) IS DISTINCT FROM ({_SECTIONS}, {_OPEN_COMMENTS})"


def refresh(*scopes) -> None:
    """Recount the scopes (Scope instances or ids), whose rows the caller has locked (see the module docstring);
    instances get the fresh values too."""
    ids = [str(getattr(scope, "pk", scope)) for scope in scopes]
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"{RECOUNT_SQL} WHERE s.id = ANY(%s::uuid[]) RETURNING s.id, s.section_count, s.open_comment_count",
            [ids],
        )
        fresh = {str(scope_id): (sections, comments) for scope_id, sections, comments in cursor.fetchall()}
    for scope in scopes:
        if hasattr(scope, "pk") and str(scope.pk) in fresh:
            scope.section_count, scope.open_comment_count = fresh[str(scope.pk)]


def drifted() -> list:
    """Ids of the scopes whose stored counts differ from their rows."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT s.id FROM scopes_scope AS s WHERE {_DRIFT} ORDER BY s.id")
        return [scope_id for (scope_id,) in cursor.fetchall()]


def repair(*, dry_run: bool = False) -> int:
    """Recount the scopes whose counts drifted, each under its row lock in its own transaction (so writers wait for
    one row at a time); the number of rows fixed (with `dry_run`, found)."""
    candidates = drifted()
    if dry_run:
        return len(candidates)
    fixed = 0
    for scope_id in candidates:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM scopes_scope WHERE id = %s FOR UPDATE", [scope_id])
            # A new statement after the lock: it sees every write committed before, and checks the drift again.
            cursor.execute(f"{RECOUNT_SQL} WHERE s.id = %s AND {_DRIFT}", [scope_id])
            fixed += cursor.rowcount
    return fixed
