"""`scripts/run` says "Orbit is up" only once /api/health/ answers (issue 9 item 14; before, it printed the line
right after starting gunicorn, seconds before it listened)."""

import os
import signal
import subprocess
import time

import pytest
import requests
from django.conf import settings

from orbit.testing import child_env, free_port

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_orbit_is_up_means_it_answers():
    port = free_port()
    process = subprocess.Popen(
        ["scripts/run"],
        cwd=settings.BASE_DIR,
        env=child_env(PORT=str(port), WEB_CONCURRENCY="1", ORBIT_SKIP_INSTALL="1", Q_WORKERS="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        for line in process.stdout:
            if line.startswith("Orbit is up"):
                # At once, no retry: the line is a promise that the server answers now.
                assert requests.get(f"http://127.0.0.1:{port}/api/health/", timeout=5).status_code == 200
                assert f":{port}/" in line
                break
            assert time.monotonic() < deadline, "scripts/run did not come up"
        else:
            pytest.fail(f"scripts/run ended without saying it is up (exit {process.wait()})")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
