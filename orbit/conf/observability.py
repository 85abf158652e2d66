"""Observability: structured logs, and Sentry, traces and metrics, each off unless configured."""

from orbit import config
from orbit.conf.base import PRODUCTION, env

# --- Logging: JSON lines with request id and user id --------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING = config.logging_config(level=LOG_LEVEL, fmt=LOG_FORMAT)
config.configure_structlog(fmt=LOG_FORMAT)

# --- Errors, traces and metrics ----------------------------------------------------------------
# Errors to Sentry (document text, prompts and tokens are scrubbed before sending; see orbit/observability.py).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production" if PRODUCTION else "local")
SENTRY_RELEASE = env.str("SENTRY_RELEASE", default="")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
# Traces over OTLP/HTTP (the exporter also reads OTEL_EXPORTER_OTLP_HEADERS etc. from the environment).
OTEL_EXPORTER_OTLP_ENDPOINT = env.str("OTEL_EXPORTER_OTLP_ENDPOINT", default="")
OTEL_SERVICE_NAME = env.str("OTEL_SERVICE_NAME", default="orbit")
# Prometheus metrics at /metrics: allowed with `Authorization: Bearer <METRICS_TOKEN>` or from these networks.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])
# orbit.settings adds django-prometheus (its app and middleware) when either is set.
# /api/ready fails when the oldest waiting task is older than this (seconds) or more than this many wait.
READY_MAX_QUEUE_AGE = env.int("READY_MAX_QUEUE_AGE", default=300)
READY_MAX_QUEUE_DEPTH = env.int("READY_MAX_QUEUE_DEPTH", default=10000)
