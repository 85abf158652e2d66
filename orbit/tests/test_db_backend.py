"""orbit.db, Django's PostgreSQL backend: timestamps read by psycopg's C loader (the same values as Django's own
loader gives, aware and in UTC, and Django's loader wherever the session's time zone is not UTC), and health checks
at most once in HEALTH_CHECK_SECONDS per connection."""

from datetime import UTC, datetime, timedelta, timezone

import psycopg
import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from psycopg.pq import Format

from scopes.models import Scope
from scopes.tests.factories import ScopeFactory

pytestmark = pytest.mark.django_db

TIMESTAMPTZ = psycopg.adapters.types["timestamptz"].oid
# psycopg's C loader: what its global map holds for the Python class orbit.db registers.
C_LOADER = psycopg.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)

VALUES = [
    "2026-01-02 03:04:05.123456+05",
    "1999-12-31 23:59:59.999999-11:30",
    "2026-11-30 00:00:00+00",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
]


def load(sql: str, params=()):
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)
        cursor.execute(sql, params)
        return loader, cursor.fetchall()


def test_the_backend_is_orbits_and_loads_timestamps_in_c():
    assert settings.DATABASES["default"]["ENGINE"] == "orbit.db"
    assert connection.vendor == "postgresql"
    assert C_LOADER.__module__.startswith("psycopg_binary")
    loader, rows = load("SELECT %s::timestamptz", [VALUES[0]])
    assert loader is C_LOADER
    assert rows == [(datetime(2026, 1, 1, 22, 4, 5, 123456, tzinfo=UTC),)]
    assert rows[0][0].tzinfo is UTC


def test_every_value_is_the_one_djangos_loader_gives():
    sql = "SELECT v::timestamptz FROM unnest(%s::text[]) AS v"
    _, fast = load(sql, [VALUES])
    with connection.cursor() as cursor:
        cursor.cursor.adapters.register_loader("timestamptz", type("DjangoUTC", (BaseTzLoader,), {"timezone": UTC}))
        cursor.execute(sql, [VALUES])
        django = cursor.fetchall()
    assert fast == django
    assert [value.tzinfo for (value,) in fast] == [UTC] * len(VALUES)
    assert fast[1][0] == datetime(2000, 1, 1, 11, 29, 59, 999999, tzinfo=UTC)


def test_model_timestamps_round_trip_to_the_microsecond(workspace):
    stamp = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=timezone(timedelta(hours=-7)))
    scope = ScopeFactory(workspace=workspace)
    Scope.objects.filter(pk=scope.pk).update(created_at=stamp, deleted_at=None)
    row = Scope.objects.values("created_at", "deleted_at").get(pk=scope.pk)
    assert row == {"created_at": stamp, "deleted_at": None}
    assert row["created_at"].tzinfo is UTC


def test_a_session_in_another_time_zone_keeps_djangos_loader():
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'Asia/Kolkata'")
    try:
        loader, _ = load("SELECT now()")
        assert loader is not C_LOADER
        assert issubclass(loader, BaseTzLoader)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
    loader, _ = load("SELECT now()")
    assert loader is C_LOADER


class TestHealthChecks:
    """CONN_HEALTH_CHECKS, at most once in HEALTH_CHECK_SECONDS per connection: a busy connection is not asked
    `SELECT 1` before every request, and one that died is still replaced once its check is due."""

    @pytest.fixture
    def checks(self, monkeypatch):
        calls = []
        real = connection.is_usable

        def spy():
            calls.append(True)
            return real()

        monkeypatch.setattr(connection, "is_usable", spy)
        return calls

    @staticmethod
    def request_cycle() -> int:
        """One request as Django's handler runs it: the signals around it, and one query in it."""
        request_started.send(sender=None)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        request_finished.send(sender=None)
        return pid

    @pytest.mark.django_db(transaction=True)
    def test_a_connection_checked_recently_is_not_checked_again(self, checks, settings):
        assert connection.health_check_enabled
        assert connection.settings_dict["HEALTH_CHECK_SECONDS"] == 5
        pid = self.request_cycle()
        checks.clear()
        assert {self.request_cycle() for _ in range(5)} == {pid}
        assert checks == []

        connection.health_checked_at -= 5  # five seconds later
        assert self.request_cycle() == pid
        assert checks == [True]
        assert self.request_cycle() == pid
        assert checks == [True]

    @pytest.mark.django_db(transaction=True)
    def test_zero_checks_before_every_request(self, checks, monkeypatch):
        monkeypatch.setitem(connection.settings_dict, "HEALTH_CHECK_SECONDS", 0)
        self.request_cycle()
        checks.clear()
        for _ in range(3):
            self.request_cycle()
        assert checks == [True] * 3

    @pytest.mark.django_db(transaction=True)
    def test_a_connection_that_died_is_replaced_when_its_check_is_due(self, checks):
        pid = self.request_cycle()
        with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        connection.health_checked_at -= 5
        new_pid = self.request_cycle()
        assert new_pid != pid
        assert checks == [True]
