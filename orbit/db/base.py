"""Django's PostgreSQL backend, reading `timestamptz` columns with psycopg's C loader instead of a Python one.

Django registers its own timestamptz loader on every connection (`psycopg_any.BaseTzLoader`): a subclass of
psycopg's pure-Python loader, so each timestamp of every row is parsed in Python (about 6 us a value; a page of 25
scopes reads about 100 of them, 0.5 ms of a request's CPU). It exists to return datetimes in the backend's time
zone. When that zone is UTC and the session's TimeZone is UTC, which Django's `ensure_timezone` makes it,
psycopg's own C loader returns the very same values (aware, `tzinfo=datetime.UTC`), so each cursor gets that one.
Any other zone, or a session whose TimeZone was changed, keeps Django's loader.

A documented extension point: ENGINE names this package (orbit.settings sets it for a postgres DATABASE_URL).
"""

from datetime import UTC

from django.db.backends.postgresql import base
from psycopg.types.datetime import TimestamptzLoader


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        cursor = super().create_cursor(name)
        if self.timezone is UTC and self.connection.info.parameter_status("TimeZone") == "UTC":
            # psycopg registers its C implementation in place of the Python class named here.
            cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        return cursor
