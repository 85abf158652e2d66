"""A real `qcluster` worker process picks a task from the ORM broker on PostgreSQL and finishes it."""

import os
import secrets
import signal
import subprocess
import time

import pytest
from django_q.models import OrmQ, Task
from django_q.tasks import async_task

from orbit.testing import start_qcluster


@pytest.fixture
def qcluster(transactional_db):
    """`manage.py qcluster` on the test database (rows must be committed for it to see them)."""
    process = start_qcluster(stderr=subprocess.PIPE)  # read when the test fails
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # qcluster's clean shutdown
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def enqueue_on_the_broker(*args, **kwargs) -> str:
    """async_task, forced through the broker: the test settings run tasks inline by default."""
    return async_task(*args, sync=False, **kwargs)


@pytest.mark.slow
def test_qcluster_runs_an_enqueued_task(qcluster):
    token = secrets.token_hex(8)
    task_id = enqueue_on_the_broker("orbit.tasks.ping", token, task_name=f"ping-{token}")
    assert OrmQ.objects.count() >= 1  # really on the ORM broker, not run inline

    deadline = time.monotonic() + 60
    task = None
    while task is None:
        assert qcluster.poll() is None, qcluster.stderr.read().decode()[-3000:]
        assert time.monotonic() < deadline, "the worker did not finish the task within 60 s"
        time.sleep(0.3)
        task = Task.objects.filter(id=task_id).first()

    assert task.success, task.result
    assert task.result["token"] == token
    assert task.result["pid"] not in (os.getpid(), qcluster.pid)  # run by a worker child of the cluster
    while OrmQ.objects.exists():  # acknowledged: the queue row goes once the result is saved
        assert time.monotonic() < deadline, "the task was never acknowledged"
        time.sleep(0.3)

    qcluster.send_signal(signal.SIGTERM)
    assert qcluster.wait(timeout=30) == 0  # stops cleanly
