"""Test helpers shared by the apps' test suites: free ports, child processes (gunicorn via `serve`, qcluster via
`start_qcluster`) on the test database, a connection outside Django's to hold locks, racing calls in threads, and
`assert_error` for refusals."""

import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import psycopg
import requests
from django.conf import settings
from django.db import connection, connections

from orbit.errors import OrbitError


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


@contextmanager
def serve(*, port: int | None = None, workers: int = 1, **env: str):
    """A real gunicorn, configured by gunicorn.conf.py as in production, serving orbit.wsgi on 127.0.0.1:`port` (a
    free one by default) with the test settings on the test database; yields its base URL once /api/health/
    answers, and stops it afterwards. Rows must be committed for it to see them (transactional tests)."""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}", "-w", str(workers)],
        cwd=settings.BASE_DIR,
        env=child_env(**{"DJANGO_SETTINGS_MODULE": "orbit.test_settings", **env}),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stderr.read().decode()[-2000:]
            try:
                if requests.get(f"{url}/api/health/", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer /api/health/ within 60 s"
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()


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


def race(*calls) -> list[str]:
    """Runs the calls in threads released together by a barrier, so they really overlap, and returns each one's
    outcome in the order given: "ok", or the code of the OrbitError it raised. Any other error fails the test.
    Needs a transactional test: each thread has its own connection (closed when it ends) and sees committed rows."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            call()
            outcomes[index] = "ok"
        except OrbitError as exc:
            outcomes[index] = exc.code
        except BaseException as exc:  # re-raised in the test's thread below
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), "a racing call did not finish within 60 s"
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return outcomes


def assert_error(response, status: int, code: str) -> dict:
    """`response` is the error envelope with this `status` and `code`; returns its `details` for further checks."""
    assert response.status_code == status, f"{response.status_code} {response.content[:300]!r}"
    error = response.json()["error"]
    assert error["code"] == code, error
    return error["details"]
