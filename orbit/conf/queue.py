"""The task queue (django-q2 with its ORM broker on PostgreSQL)."""

from orbit.conf.base import env

# `retry` is a lease, not a delay: it must exceed `timeout`, which must exceed the longest task.
Q_CLUSTER = {
    "name": "orbit",
    "orm": "default",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": env.int("Q_TIMEOUT", default=600),
    "retry": env.int("Q_RETRY", default=720),
    "max_attempts": env.int("Q_MAX_ATTEMPTS", default=3),
    "ack_failures": True,
    "catch_up": False,
    "poll": 0.5,
    "save_limit": 1000,
    "sync": env.bool("Q_SYNC", default=False),
    "label": "Task queue",
}
