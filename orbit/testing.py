"""Test helpers shared by the apps' test suites: ports and database access for tests that run real processes,
or hold locks from a connection outside Django's."""

import os
import socket
import subprocess
import sys

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


def child_env(**overrides: str) -> dict:
    """The environment for a child Django process (gunicorn, qcluster) on the test database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "orbit.settings",
        "DATABASE_URL": database_url(),
        "LOG_LEVEL": "WARNING",
        **overrides,
    }


def start_qcluster(*, stderr=subprocess.DEVNULL, **env: str) -> subprocess.Popen:
    """`manage.py qcluster` with one worker on the ORM broker of the test database, in its own process group
    (so a test can kill the cluster with its workers). Rows must be committed for it to see them."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=settings.BASE_DIR,
        env=child_env(Q_SYNC="false", Q_WORKERS="1", **env),
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        start_new_session=True,
    )


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
