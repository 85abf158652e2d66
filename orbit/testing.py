"""Test helpers shared by the apps' test suites: ports and database access for tests that run real processes,
or hold locks from a connection outside Django's."""

import socket

import psycopg
from django.conf import settings
from django.db import connection


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """DATABASE_URL for a child process (gunicorn, qcluster) to use the test database: during tests NAME is it."""
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def raw_connection() -> psycopg.Connection:
    """A connection outside Django's, to hold a lock or commit on its own while requests run."""
    db = connection.settings_dict
    return psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    )
