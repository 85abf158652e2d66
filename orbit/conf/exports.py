"""Exports: the export job, retention, rate limit and the branded logo fetch."""

from orbit.conf.base import env
from orbit.conf.queue import Q_CLUSTER

# A `running` claim older than this is considered dead and picked up again; keep it above Q_CLUSTER timeout.
EXPORT_LEASE = env.int("EXPORT_LEASE", default=Q_CLUSTER["timeout"] + 120)
EXPORT_MAX_ATTEMPTS = env.int("EXPORT_MAX_ATTEMPTS", default=3)
# `manage.py cleanup` removes exports (row and file) older than this.
EXPORT_RETENTION_DAYS = env.int("EXPORT_RETENTION_DAYS", default=30)
# Export requests per user and workspace (DRF rate string: N/second|minute|hour|day); cached answers count too.
EXPORT_RATE_LIMIT = env.str("EXPORT_RATE_LIMIT", default="20/hour")
# The workspace logo drawn on branded exports: fetched by the worker, at most this many bytes, public hosts only.
EXPORT_LOGO_MAX_BYTES = env.int("EXPORT_LOGO_MAX_BYTES", default=2 * 1024 * 1024)
EXPORT_LOGO_ALLOW_PRIVATE_HOSTS = env.bool("EXPORT_LOGO_ALLOW_PRIVATE_HOSTS", default=False)
