"""Django's PostgreSQL backend with two per-request costs taken off the hot reads.

Timestamps. Django registers its own timestamptz loader on every connection (`psycopg_any.BaseTzLoader`): a
subclass of psycopg's pure-Python loader, so each timestamp of every row is parsed in Python (about 6 us a value;
a page of 25 scopes reads about 100 of them, 0.5 ms of a request's CPU). It exists to return datetimes in the
backend's time zone. When that zone is UTC and the session's TimeZone is UTC, which Django's `ensure_timezone`
makes it, psycopg's own C loader returns the very same values (aware, `tzinfo=datetime.UTC`), so each cursor gets
that one. Any other zone, or a session whose TimeZone was changed, keeps Django's loader.

Health checks. With CONN_HEALTH_CHECKS Django sends `SELECT 1` before the first query of every request that
reuses a connection: a round trip and ~0.3 ms of CPU on each. Here a connection opened or checked less than
DB_HEALTH_CHECK_SECONDS ago (`HEALTH_CHECK_SECONDS` in the database's settings) is taken as alive without asking,
so a busy worker checks about once in that time instead of on every request; 0 checks every request, as Django
does. A connection that breaks in between fails its request (an error in the envelope) and Django closes it
when that request ends (`close_if_unusable_or_obsolete` checks it after an error), so the next request opens a
new one.

A documented extension point: ENGINE names this package (orbit.settings sets it for a postgres DATABASE_URL).
"""

import time
from datetime import UTC

from django.db.backends.postgresql import base
from psycopg.types.datetime import TimestamptzLoader


class DatabaseWrapper(base.DatabaseWrapper):
    health_checked_at = float("-inf")  # time.monotonic() of the last connect or passed health check

    def connect(self):
        super().connect()
        self.health_checked_at = time.monotonic()

    def close_if_health_check_failed(self):
        pending = self.connection is not None and self.health_check_enabled and not self.health_check_done
        recent = time.monotonic() - self.health_checked_at < self.settings_dict.get("HEALTH_CHECK_SECONDS", 0)
        if pending and recent:
            self.health_check_done = True  # opened or checked recently enough: taken as alive
            return
        super().close_if_health_check_failed()
        if pending and self.connection is not None:
            self.health_checked_at = time.monotonic()

    def create_cursor(self, name=None):
        cursor = super().create_cursor(name)
        if self.timezone is UTC and self.connection.info.parameter_status("TimeZone") == "UTC":
            # psycopg registers its C implementation in place of the Python class named here.
            cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        return cursor
