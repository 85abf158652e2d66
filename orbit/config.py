"""Start-up configuration helpers: production validation and logging set-up."""

import structlog

ENVIRONMENTS = ("local", "production")
LOCAL_SECRET_KEY = "django-insecure-local-only-orbit-key-never-use-in-production"
LOCAL_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/orbit"


class ConfigurationError(RuntimeError):
    """Raised at import of the settings when production configuration is missing or unsafe."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            "Orbit refuses to start with ORBIT_ENV=production:\n" + "\n".join(f"  - {problem}" for problem in problems)
        )


def production_problems(settings: dict) -> list[str]:
    """Every missing or unsafe value, each naming its environment variable."""
    problems = []
    secret = settings.get("SECRET_KEY") or ""
    if not secret:
        problems.append("SECRET_KEY is missing")
    elif secret == LOCAL_SECRET_KEY or secret.startswith("django-insecure") or len(secret) < 50 or len(set(secret)) < 5:
        problems.append("SECRET_KEY is unsafe: use at least 50 random characters")
    if settings.get("DEBUG"):
        problems.append("DEBUG must be false")
    hosts = settings.get("ALLOWED_HOSTS") or []
    if not hosts:
        problems.append("ALLOWED_HOSTS is missing")
    elif "*" in hosts:
        problems.append("ALLOWED_HOSTS must not contain '*'")
    database = settings.get("DATABASES", {}).get("default", {})
    if not database.get("NAME"):
        problems.append("DATABASE_URL is missing")
    elif database.get("HOST") in ("", "127.0.0.1", "localhost") and not database.get("PASSWORD"):
        problems.append("DATABASE_URL points at a local database without a password")
    backend = settings.get("EMAIL_BACKEND", "")
    if backend.endswith(
        ("console.EmailBackend", "locmem.EmailBackend", "dummy.EmailBackend", "filebased.EmailBackend")
    ):
        problems.append("EMAIL_BACKEND must deliver mail (SMTP) in production")
    elif backend.endswith("smtp.EmailBackend") and not settings.get("EMAIL_HOST"):
        problems.append("EMAIL_HOST is missing")
    if "orbit.localhost" in settings.get("DEFAULT_FROM_EMAIL", ""):
        problems.append("DEFAULT_FROM_EMAIL is missing")
    if not settings.get("AWS_STORAGE_BUCKET_NAME"):
        problems.append("AWS_STORAGE_BUCKET_NAME is missing: production stores documents in S3")
    if not settings.get("FRONTEND_URL", "").startswith("https://"):
        problems.append("FRONTEND_URL must be an https:// URL")
    cache_backend = settings.get("CACHES", {}).get("default", {}).get("BACKEND", "")
    if cache_backend.endswith(("locmem.LocMemCache", "dummy.DummyCache")):
        # Rate limits and Google id_token replay checks must be shared by every process.
        problems.append("CACHE_URL must point at a cache shared by all processes (database or Redis)")
    return problems


def validate_production(settings: dict) -> None:
    problems = production_problems(settings)
    if problems:
        raise ConfigurationError(problems)


def _shared_processors():
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def logging_config(*, level: str, fmt: str) -> dict:
    renderer = structlog.processors.JSONRenderer() if fmt == "json" else structlog.dev.ConsoleRenderer(colors=False)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    renderer,
                ],
                "foreign_pre_chain": _shared_processors(),
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.server": {"level": "WARNING"},
            "django.request": {"level": "ERROR"},
            "django_q": {"level": level, "propagate": True},
        },
    }


def configure_structlog(*, fmt: str) -> None:
    structlog.configure(
        processors=[
            *_shared_processors(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def get_logger(name: str):
    return structlog.get_logger(name)
